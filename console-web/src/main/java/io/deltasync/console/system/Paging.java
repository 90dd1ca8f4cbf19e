package io.deltasync.console.system;

import java.util.List;

/** Keyset paging: a page is read with one row more than shown, to know whether more follow. */
public final class Paging {

  private Paging() {}

  /** The first {@code size} of rows read with limit {@code size + 1}. */
  public static <T> Slice<T> slice(List<T> rows, int size) {
    return rows.size() > size
        ? new Slice<>(List.copyOf(rows.subList(0, size)), true)
        : new Slice<>(List.copyOf(rows), false);
  }

  /**
   * One page of rows.
   *
   * @param items the rows shown
   * @param hasMore whether rows follow the last one
   */
  public record Slice<T>(List<T> items, boolean hasMore) {

    /** The last row shown; only when there is one. */
    public T last() {
      return items.get(items.size() - 1);
    }
  }
}
