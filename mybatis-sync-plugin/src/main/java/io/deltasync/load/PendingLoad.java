package io.deltasync.load;

import io.deltasync.delta.NameFilter;
import io.deltasync.load.internal.LoadRows;
import io.deltasync.load.internal.LoadRows.Progress;
import io.deltasync.load.internal.ReplicatedTables;
import io.deltasync.store.internal.PointerRows;
import io.deltasync.store.internal.ReloadRows;
import io.deltasync.verify.VerifyException;
import io.deltasync.verify.internal.RangeReads;
import io.deltasync.verify.internal.TableShape;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a node should load from its hub before it takes anything more from it (see {@link
 * Loader#pending()}), read from the node's database: a reload is due, a load is under way, or the
 * node is new (no pointer past 0, no delta, no row in a replicated table, unless it sends its rows
 * first by a reverse load). Stateless.
 */
final class PendingLoad {

  // a node's load lines stay under the one logger an operator watches
  private static final Logger LOG = LoggerFactory.getLogger(Loader.class);

  private PendingLoad() {}

  static boolean read(
      DataSource dataSource,
      String nodeId,
      String hubId,
      NameFilter replicatedTables,
      ReverseChoices reverse) {
    try (Connection connection = dataSource.getConnection()) {
      ReloadRows.Reload due = ReloadRows.read(connection, nodeId, hubId);
      if (due != null) {
        return ReloadRows.DUE.equals(due.state());
      }
      List<Progress> progress = LoadRows.read(connection, hubId);
      if (!progress.isEmpty()) {
        return progress.stream().anyMatch(table -> !table.done());
      }
      long[] pointer = PointerRows.select(connection, nodeId, hubId, false);
      if (pointer != null && pointer[1] > 0) {
        return false;
      }
      if (ChunkWriter.count(connection, "SELECT COUNT(*) FROM ds_delta") > 0) {
        return false;
      }
      for (String table : ReplicatedTables.of(connection, replicatedTables)) {
        TableShape shape;
        try {
          shape = TableShape.of(connection, table, NameFilter.ALL);
        } catch (VerifyException e) {
          return true; // no primary key: run() refuses it by name
        }
        if (!RangeReads.page(connection, shape, null, 1).isEmpty()) {
          if (reverse.enabled()) {
            LOG.info(
                "{} holds rows in {} but no delta: it sends its rows to {} (reverse load), then"
                    + " loads from it",
                nodeId,
                table,
                hubId);
            return true;
          }
          LOG.warn(
              "{} holds rows in {} but no delta: not a new node, so it takes no initial load from"
                  + " {}; rows the hub had before this node joined are not copied (set"
                  + " deltasync.load.reverse.* to send this node's rows to the hub and load)",
              nodeId,
              table,
              hubId);
          return false;
        }
      }
      return true;
    } catch (SQLException e) {
      throw new LoadException(
          nodeId + " could not read its load state for " + hubId + ": " + e.getMessage(), e);
    }
  }
}
