package io.deltasync.load;

import io.deltasync.conflict.Row;
import io.deltasync.verify.internal.RangeReads;
import io.deltasync.verify.internal.RowText;
import io.deltasync.verify.internal.TableShape;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's side of a reverse load: sends the rows this node held before it joined its hub to
 * the hub, table by table in keyset chunks by primary key, for the hub to take by each table's
 * {@link ReverseChoice}; the initial load that follows then makes this node equal to the hub.
 *
 * <p>Two passes: first every chunk of every table is sent to be compared only, so that a table the
 * hub refuses (one it does not replicate, an unknown column, a differing row under {@link
 * ReverseChoice#REFUSE}) stops the load before the hub writes anything; then every chunk again, to
 * be applied, each in one transaction on the hub. Nothing is recorded on this node: a reverse load
 * stopped mid-way starts over, and the chunks the hub applied already change nothing the second
 * time. Reads this node's tables on the caller's connection; writes nothing here. Not thread-safe.
 */
final class ReverseLoad {

  private static final Logger LOG = LoggerFactory.getLogger(ReverseLoad.class);

  private final String nodeId;
  private final LoadSource hub;
  private final int chunkRows;
  private final ReverseChoices choices;

  ReverseLoad(String nodeId, LoadSource hub, int chunkRows, ReverseChoices choices) {
    this.nodeId = nodeId;
    this.hub = hub;
    this.chunkRows = chunkRows;
    this.choices = choices;
  }

  /** Checks, then applies, every table's rows at the hub. */
  void run(Connection connection, Collection<TableShape> tables) throws SQLException {
    for (TableShape table : tables) {
      send(connection, table, false);
    }
    for (TableShape table : tables) {
      ReverseResult sent = send(connection, table, true);
      if (sent.inserted() + sent.overwritten() + sent.kept() + sent.unchanged() > 0) {
        LOG.info(
            "{}: reverse-loaded table {} to {} ({}): {} rows added, {} overwritten, {} kept as"
                + " the hub's, {} equal",
            nodeId,
            table.table(),
            hub.nodeId(),
            choices.of(table.table()).text(),
            sent.inserted(),
            sent.overwritten(),
            sent.kept(),
            sent.unchanged());
      }
    }
  }

  private ReverseResult send(Connection connection, TableShape table, boolean apply)
      throws SQLException {
    ReverseChoice choice = choices.of(table.table());
    ReverseResult total = new ReverseResult(0, 0, 0, 0);
    List<String> after = null;
    int limit = Math.min(ChunkReader.FIRST_ROWS, chunkRows); // then sized by bytes, as a load's
    while (true) {
      List<Row> rows = RangeReads.page(connection, table, after, limit);
      if (rows.isEmpty()) {
        return total;
      }
      ReverseResult sent =
          hub.reverse(nodeId, new ReverseChunk(table.table(), choice, apply, rows));
      total =
          new ReverseResult(
              total.inserted() + sent.inserted(),
              total.overwritten() + sent.overwritten(),
              total.kept() + sent.kept(),
              total.unchanged() + sent.unchanged());
      if (rows.size() < limit) {
        return total;
      }
      after = RowText.key(rows.get(rows.size() - 1), table.keyColumns());
      limit = ChunkReader.limit(rows, chunkRows);
    }
  }
}
