package io.deltasync.load;

import io.deltasync.conflict.Row;
import java.util.List;
import java.util.Objects;

/**
 * One chunk of a client's rows of one table, sent to its hub by a reverse load. Immutable.
 *
 * @param table the table, as the client names it; the hub checks it replicates it
 * @param choice what the hub does with rows it holds with other values
 * @param apply false to compare only (nothing is written; a {@link ReverseChoice#REFUSE} table is
 *     checked whole before any of it is applied), true to apply
 * @param rows at most {@link HubSnapshots#MAX_CHUNK_ROWS} rows, each with every key column
 */
public record ReverseChunk(String table, ReverseChoice choice, boolean apply, List<Row> rows) {

  public ReverseChunk {
    Objects.requireNonNull(choice, "choice");
    if (table == null || table.isBlank() || table.length() > 128) {
      throw new IllegalArgumentException("table must be 1 to 128 characters, but was " + table);
    }
    rows = List.copyOf(rows);
    if (rows.size() > HubSnapshots.MAX_CHUNK_ROWS) {
      throw new IllegalArgumentException(
          "a chunk must hold at most "
              + HubSnapshots.MAX_CHUNK_ROWS
              + " rows, but held "
              + rows.size());
    }
  }
}
