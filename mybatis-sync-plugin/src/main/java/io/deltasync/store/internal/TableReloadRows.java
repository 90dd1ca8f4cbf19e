package io.deltasync.store.internal;

import io.deltasync.delta.DeltaIds;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of {@code ds_table_reload}: on a hub, one row per (client, table) its operator asked the
 * client to reload, {@code DUE} until the client reports it done (the row goes) or {@code FAILED}.
 */
public final class TableReloadRows {

  /** The client is told at its pulls until it reports the reload done or failed. */
  public static final String DUE = "DUE";

  /** The client reported that the reload failed; it is not told again. */
  public static final String FAILED = "FAILED";

  /** One row. */
  public record Row(
      String nodeId,
      String table,
      String requestId,
      String requestedBy,
      String state,
      String error,
      Instant notedAt) {}

  private static final int ERROR_CHARS = 1000;

  private static final String COLUMNS =
      "node_id, table_name, request_id, requested_by, state, error, noted_at";

  private TableReloadRows() {}

  /** The row of the node's table, or null. */
  public static Row read(Connection connection, String nodeId, String sourceId, String table)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM ds_table_reload WHERE node_id = ? AND source_id = ? AND table_name = ?")) {
      select.setString(1, nodeId);
      select.setString(2, sourceId);
      select.setString(3, table);
      List<Row> rows = rows(select);
      return rows.isEmpty() ? null : rows.get(0);
    }
  }

  /**
   * The source's rows: of one node, or of all of them when {@code nodeId} is null; by node, table.
   */
  public static List<Row> of(Connection connection, String sourceId, String nodeId)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM ds_table_reload WHERE source_id = ?"
                + (nodeId == null ? "" : " AND node_id = ?")
                + " ORDER BY node_id, table_name")) {
      select.setString(1, sourceId);
      if (nodeId != null) {
        select.setString(2, nodeId);
      }
      return rows(select);
    }
  }

  /**
   * Asks each peer below the node (each it holds a pointer for, but its hub) to reload the table
   * from it, unless one is due already: after the node changed the table without deltas (a table
   * reload or repair from its hub), which reach those peers no other way. Returns the peers asked.
   */
  public static List<String> dueForPeersBelow(
      Connection connection, String nodeId, String hubId, String table, String requestedBy)
      throws SQLException {
    List<String> asked = new ArrayList<>();
    for (String peer : PointerRows.peersBut(connection, nodeId, hubId)) {
      Row before = read(connection, peer, nodeId, table);
      if (before == null || !before.state().equals(DUE)) {
        due(connection, peer, nodeId, table, DeltaIds.next(), requestedBy);
        asked.add(peer);
      }
    }
    return asked;
  }

  /** Writes a {@code DUE} row for the node's table, replacing a {@code FAILED} one there is. */
  public static void due(
      Connection connection,
      String nodeId,
      String sourceId,
      String table,
      String requestId,
      String requestedBy)
      throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement(
            "DELETE FROM ds_table_reload WHERE node_id = ? AND source_id = ? AND table_name = ?"
                + " AND state = ?")) {
      delete.setString(1, nodeId);
      delete.setString(2, sourceId);
      delete.setString(3, table);
      delete.setString(4, FAILED);
      delete.executeUpdate();
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO ds_table_reload (node_id, source_id, table_name, request_id, requested_by,"
                + " state, error, noted_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)")) {
      insert.setString(1, nodeId);
      insert.setString(2, sourceId);
      insert.setString(3, table);
      insert.setString(4, requestId);
      insert.setString(5, requestedBy);
      insert.setString(6, DUE);
      insert.setTimestamp(7, new Timestamp(System.currentTimeMillis()));
      insert.executeUpdate();
    }
  }

  /**
   * Ends the node's {@code DUE} request of this id: deletes it when {@code error} is null, else
   * marks it {@code FAILED} with the error; the row, or null when no due request has the id.
   */
  public static Row end(
      Connection connection, String nodeId, String sourceId, String requestId, String error)
      throws SQLException {
    Row row = null;
    for (Row due : of(connection, sourceId, nodeId)) {
      if (due.requestId().equals(requestId) && due.state().equals(DUE)) {
        row = due;
      }
    }
    if (row == null) {
      return null;
    }
    String sql =
        error == null
            ? "DELETE FROM ds_table_reload WHERE node_id = ? AND source_id = ? AND request_id = ?"
            : "UPDATE ds_table_reload SET state = ?, error = ?, noted_at = ?"
                + " WHERE node_id = ? AND source_id = ? AND request_id = ?";
    try (PreparedStatement write = connection.prepareStatement(sql)) {
      int at = 1;
      if (error != null) {
        write.setString(at++, FAILED);
        write.setString(
            at++,
            error.length() > ERROR_CHARS ? error.substring(0, ERROR_CHARS - 3) + "..." : error);
        write.setTimestamp(at++, new Timestamp(System.currentTimeMillis()));
      }
      write.setString(at++, nodeId);
      write.setString(at++, sourceId);
      write.setString(at, requestId);
      write.executeUpdate();
    }
    return row;
  }

  /** Deletes the node's row of the table; whether there was one. */
  public static boolean delete(Connection connection, String nodeId, String sourceId, String table)
      throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement(
            "DELETE FROM ds_table_reload WHERE node_id = ? AND source_id = ? AND table_name = ?")) {
      delete.setString(1, nodeId);
      delete.setString(2, sourceId);
      delete.setString(3, table);
      return delete.executeUpdate() > 0;
    }
  }

  private static List<Row> rows(PreparedStatement select) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (ResultSet row = select.executeQuery()) {
      while (row.next()) {
        rows.add(
            new Row(
                row.getString(1),
                row.getString(2),
                row.getString(3),
                row.getString(4),
                row.getString(5),
                row.getString(6),
                row.getTimestamp(7).toInstant()));
      }
    }
    return rows;
  }
}
