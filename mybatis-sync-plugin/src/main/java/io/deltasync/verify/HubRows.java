package io.deltasync.verify;

import io.deltasync.conflict.Row;
import java.util.List;

/**
 * The hub's rows of one key range, in key order, read in one snapshot. Immutable.
 *
 * @param hubSeq the hub's highest seq when it read them: every delta up to it is in the rows
 * @param rows the rows, every column typed as the hub's database reads it
 */
public record HubRows(long hubSeq, List<Row> rows) {

  public HubRows {
    if (hubSeq < 0) {
      throw new IllegalArgumentException("hubSeq must be >= 0, but was " + hubSeq);
    }
    rows = List.copyOf(rows);
  }
}
