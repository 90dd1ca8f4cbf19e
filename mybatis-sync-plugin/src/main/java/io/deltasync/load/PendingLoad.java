package io.deltasync.load;

import io.deltasync.conflict.Row;
import io.deltasync.delta.DeltaCodec;
import io.deltasync.delta.NameFilter;
import io.deltasync.delta.internal.LogText;
import io.deltasync.load.internal.LoadRows;
import io.deltasync.load.internal.LoadRows.Progress;
import io.deltasync.load.internal.ReplicatedTables;
import io.deltasync.store.internal.PointerRows;
import io.deltasync.store.internal.ReloadRows;
import io.deltasync.verify.VerifyException;
import io.deltasync.verify.internal.RangeReads;
import io.deltasync.verify.internal.RowText;
import io.deltasync.verify.internal.TableShape;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a node should load from its hub before it takes anything more from it (see {@link
 * Loader#pending()}), read from the node's database: a reload is due, a load is under way, or the
 * node is new: it has taken nothing from the hub (no pointer past 0), and either holds no delta and
 * no row in a replicated table (unless it sends its rows first by a reverse load), or holds deltas
 * of its own only, written before its first contact, and every row of its replicated tables is one
 * of them names (the load keeps those rows, and the deltas reach the hub after). Stateless.
 */
final class PendingLoad {

  // a node's load lines stay under the one logger an operator watches
  private static final Logger LOG = LoggerFactory.getLogger(Loader.class);

  /** Rows read at a time when checking that a node's deltas name its every row. */
  private static final int PAGE_ROWS = 1_000;

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
        return unsentDeltasOnly(connection, nodeId, hubId, replicatedTables);
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

  /**
   * For a node that has taken nothing from the hub but holds deltas: whether it loads. It does when
   * none of them came from the hub (they are its own, or its clients' that it passes on: a hub
   * below the hub in a tree that its clients reached first) and each row of its replicated tables
   * is named by one of them, or lies in a table where one of them names no single row (a load then
   * deletes nothing there): the load keeps the rows those deltas name and copies the hub's others,
   * and the deltas reach the hub after, so nothing is lost or counted twice. Otherwise a row would
   * be lost (the load deletes rows the hub lacks): it does not, and says so.
   */
  private static boolean unsentDeltasOnly(
      Connection connection, String nodeId, String hubId, NameFilter replicatedTables)
      throws SQLException {
    long fromHub =
        ChunkWriter.count(
            connection, "SELECT COUNT(*) FROM ds_delta WHERE received_from = ?", hubId);
    if (fromHub > 0) {
      LOG.warn(
          "{} holds {} deltas it received from {} but no pointer for {}: it takes no initial"
              + " load from {}, and rows {} had before this node joined are not copied;"
              + " Loader.reload() replaces its rows with {}'s, keeping its writes not sent yet",
          nodeId,
          fromHub,
          hubId,
          hubId,
          hubId,
          hubId,
          hubId);
      return false;
    }
    for (String table : ReplicatedTables.of(connection, replicatedTables)) {
      TableShape shape;
      try {
        shape = TableShape.of(connection, table, NameFilter.ALL);
      } catch (VerifyException e) {
        return true; // no primary key: run() refuses it by name
      }
      Set<String> named = new HashSet<>();
      if (ChunkWriter.keysSentToHub(connection, hubId, table, 0, named)) {
        continue; // a load deletes no row of this table
      }
      List<String> after = null;
      for (List<Row> page = RangeReads.page(connection, shape, null, PAGE_ROWS);
          !page.isEmpty();
          page = RangeReads.page(connection, shape, after, PAGE_ROWS)) {
        for (Row row : page) {
          String key = DeltaCodec.encodeRowKey(row.key(shape.keyColumns()));
          if (!named.contains(key)) {
            LOG.warn(
                "{} holds deltas it has not sent to {} yet but has taken nothing from it, and a row"
                    + " of {} that none of them wrote ({}): it takes no initial load from {}, which"
                    + " would delete that row, so rows {} had before this node joined are not"
                    + " copied; Loader.reload() would replace its rows with {}'s, keeping those"
                    + " its deltas wrote",
                nodeId,
                hubId,
                table,
                LogText.of(key),
                hubId,
                hubId,
                hubId);
            return false;
          }
        }
        after = RowText.key(page.get(page.size() - 1), shape.keyColumns());
      }
    }
    LOG.info(
        "{} holds deltas written before it first reached {} (its own, or its clients' it passes"
            + " on): it loads {}'s tables first, keeping the rows those deltas wrote, and pushes"
            + " them after",
        nodeId,
        hubId,
        hubId);
    return true;
  }
}
