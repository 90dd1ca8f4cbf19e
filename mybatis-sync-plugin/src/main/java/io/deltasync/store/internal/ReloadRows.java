package io.deltasync.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of {@code ds_reload}: one row per (node, source) when the node must reload from the
 * source before it pulls from it again.
 */
public final class ReloadRows {

  /** The node reloads at its next pull. */
  public static final String DUE = "DUE";

  /** The node waits for an operator before it reloads. */
  public static final String HELD = "HELD";

  /** What a row says: the state and the reason. */
  public record Reload(String state, String reason) {}

  private static final int REASON_CHARS = 1000;

  private ReloadRows() {}

  /** The row for the node and source, or null. */
  public static Reload read(Connection connection, String nodeId, String sourceId)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT state, reason FROM ds_reload WHERE node_id = ? AND source_id = ?")) {
      select.setString(1, nodeId);
      select.setString(2, sourceId);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? new Reload(row.getString(1), row.getString(2)) : null;
      }
    }
  }

  /**
   * Writes the row, replacing one there is (its reason is kept when only the state changes and the
   * new reason is null).
   */
  public static void put(
      Connection connection, String nodeId, String sourceId, String state, String reason)
      throws SQLException {
    Reload before = read(connection, nodeId, sourceId);
    String text = reason != null ? reason : before != null ? before.reason() : state;
    if (text.length() > REASON_CHARS) {
      text = text.substring(0, REASON_CHARS - 3) + "...";
    }
    Timestamp now = new Timestamp(System.currentTimeMillis());
    String sql =
        before == null
            ? "INSERT INTO ds_reload (state, reason, noted_at, node_id, source_id)"
                + " VALUES (?, ?, ?, ?, ?)"
            : "UPDATE ds_reload SET state = ?, reason = ?, noted_at = ?"
                + " WHERE node_id = ? AND source_id = ?";
    try (PreparedStatement write = connection.prepareStatement(sql)) {
      write.setString(1, state);
      write.setString(2, text);
      write.setTimestamp(3, now);
      write.setString(4, nodeId);
      write.setString(5, sourceId);
      write.executeUpdate();
    }
  }

  /** The sources the node must reload from, as its rows name them. */
  public static List<String> sources(Connection connection, String nodeId) throws SQLException {
    List<String> sources = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement("SELECT source_id FROM ds_reload WHERE node_id = ?")) {
      select.setString(1, nodeId);
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          sources.add(row.getString(1));
        }
      }
    }
    return sources;
  }

  /** Deletes the row; whether there was one. */
  public static boolean delete(Connection connection, String nodeId, String sourceId)
      throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM ds_reload WHERE node_id = ? AND source_id = ?")) {
      delete.setString(1, nodeId);
      delete.setString(2, sourceId);
      return delete.executeUpdate() > 0;
    }
  }
}
