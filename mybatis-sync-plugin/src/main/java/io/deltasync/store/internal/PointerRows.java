package io.deltasync.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/** The SQL of {@code ds_node_pointer}. */
public final class PointerRows {

  private PointerRows() {}

  /**
   * Whether the statement gave up waiting for a row lock another transaction holds: H2's lock
   * timeout (1 s by default), MariaDB's {@code innodb_lock_wait_timeout}, PostgreSQL's {@code
   * lock_timeout} when one is set.
   */
  public static boolean isLockTimeout(SQLException error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql
          && (sql.getErrorCode() == 50200 // H2: timeout trying to lock table
              || sql.getErrorCode() == 1205 // MariaDB: lock wait timeout exceeded
              || "55P03".equals(sql.getSQLState()))) { // PostgreSQL: lock_not_available
        return true;
      }
    }
    return false;
  }

  /**
   * Makes sure the (node, peer) row exists, so it can be locked and updated; another transaction
   * creating it at the same time is fine. Call it outside the transaction that uses the row: on
   * PostgreSQL a failed insert would abort that transaction.
   */
  public static void ensure(Connection connection, String nodeId, String peerId)
      throws SQLException {
    if (select(connection, nodeId, peerId, false) != null) {
      return;
    }
    try {
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO ds_node_pointer (node_id, peer_id, last_pushed, last_processed,"
                  + " updated_at) VALUES (?, ?, 0, 0, ?)")) {
        insert.setString(1, nodeId);
        insert.setString(2, peerId);
        insert.setTimestamp(3, new Timestamp(System.currentTimeMillis()));
        insert.executeUpdate();
      }
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
    } catch (SQLException e) {
      if (!connection.getAutoCommit()) {
        connection.rollback();
      }
      if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
        throw e; // not "someone else created it first"
      }
    }
  }

  /**
   * The peers the node holds a pointer for, but one (its hub: what is left are its clients, in a
   * tree), in id order.
   */
  public static List<String> peersBut(Connection connection, String nodeId, String except)
      throws SQLException {
    List<String> peers = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT peer_id FROM ds_node_pointer WHERE node_id = ? AND peer_id <> ?"
                + " ORDER BY peer_id")) {
      select.setString(1, nodeId);
      select.setString(2, except);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          peers.add(rows.getString(1));
        }
      }
    }
    return peers;
  }

  /**
   * Reads {@code {lastPushed, lastProcessed}}, or null when there is no row.
   *
   * @param forUpdate lock the row until the transaction ends
   */
  public static long[] select(
      Connection connection, String nodeId, String peerId, boolean forUpdate) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT last_pushed, last_processed FROM ds_node_pointer"
                + " WHERE node_id = ? AND peer_id = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
      select.setString(1, nodeId);
      select.setString(2, peerId);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? new long[] {row.getLong(1), row.getLong(2)} : null;
      }
    }
  }

  /**
   * Moves one pointer column ({@code last_pushed} or {@code last_processed}) of an existing row
   * forward to {@code value}; a smaller value leaves it as it is.
   */
  public static void advance(
      Connection connection, String nodeId, String peerId, String column, long value)
      throws SQLException {
    if (!column.equals("last_pushed") && !column.equals("last_processed")) {
      throw new IllegalArgumentException("not a pointer column: " + column);
    }
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE ds_node_pointer SET "
                + column
                + " = ?, updated_at = ? WHERE node_id = ? AND peer_id = ? AND "
                + column
                + " < ?")) {
      update.setLong(1, value);
      update.setTimestamp(2, new Timestamp(System.currentTimeMillis()));
      update.setString(3, nodeId);
      update.setString(4, peerId);
      update.setLong(5, value);
      update.executeUpdate();
    }
  }

  /** Sets {@code last_pushed} of an existing row to {@code value}, also backwards. */
  public static void resetPushed(Connection connection, String nodeId, String peerId, long value)
      throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE ds_node_pointer SET last_pushed = ?, updated_at = ?"
                + " WHERE node_id = ? AND peer_id = ?")) {
      update.setLong(1, value);
      update.setTimestamp(2, new Timestamp(System.currentTimeMillis()));
      update.setString(3, nodeId);
      update.setString(4, peerId);
      update.executeUpdate();
    }
  }
}
