package io.deltasync.store.internal;

import io.deltasync.delta.DeltaIds;
import io.deltasync.delta.Incarnation;
import io.deltasync.store.Rebase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The SQL of incarnations: this database's own ({@code ds_incarnation}), the peers' this node has
 * seen ({@code ds_peer_incarnation}, {@code ds_node_pointer.peer_incarnation}) and the re-bases it
 * made ({@code ds_rebase}).
 */
public final class IncarnationRows {

  private IncarnationRows() {}

  /**
   * Begins a new incarnation of this database in the caller's transaction, based on the highest seq
   * of the deltas stored before {@code before} (when the process began: what it wrote since is not
   * in any receiver's past). When no delta is that old, on the base of the newest incarnation the
   * database still holds: a database loses its latest commits, so deltas below a surviving
   * incarnation's base were purged, not lost (a node that purged every delta is not taken for one
   * that lost them).
   */
  public static Incarnation begin(Connection connection, Incarnation previous, Timestamp before)
      throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    if (product.contains("mariadb") || product.contains("mysql")) {
      // DATETIME keeps whole seconds there: a delta stored just after `before` may read as older
      before = new Timestamp(before.getTime() - 1_000);
    }
    long base = PurgeRows.lastSeqStoredBefore(connection, before);
    if (base == 0 && previous != null) {
      base = previous.baseSeq();
    }
    Incarnation incarnation = new Incarnation(DeltaIds.next(), base);
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO ds_incarnation (incarnation_id, base_seq, started_at) VALUES (?, ?, ?)")) {
      insert.setString(1, incarnation.id());
      insert.setLong(2, incarnation.baseSeq());
      insert.setTimestamp(3, new Timestamp(System.currentTimeMillis()));
      insert.executeUpdate();
    }
    return incarnation;
  }

  /** The incarnation this database began last, or null when it began none. */
  public static Incarnation newest(Connection connection) throws SQLException {
    try (PreparedStatement select =
            connection.prepareStatement(
                "SELECT incarnation_id, base_seq FROM ds_incarnation ORDER BY ordinal DESC"
                    + " LIMIT 1");
        ResultSet row = select.executeQuery()) {
      return row.next() ? new Incarnation(row.getString(1), row.getLong(2)) : null;
    }
  }

  /**
   * The incarnation this database began last, when another process began it at or after {@code
   * since} (while this one was running: it already accounts for anything the database lost before),
   * else null.
   */
  public static Incarnation begunSince(Connection connection, Timestamp since) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT incarnation_id, base_seq, started_at FROM ds_incarnation ORDER BY ordinal DESC"
                + " LIMIT 1")) {
      try (ResultSet row = select.executeQuery()) {
        return row.next() && !row.getTimestamp(3).before(since)
            ? new Incarnation(row.getString(1), row.getLong(2))
            : null;
      }
    }
  }

  /** Whether this database holds the incarnation (it may have lost it with its latest commits). */
  public static boolean holds(Connection connection, String incarnationId) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("SELECT 1 FROM ds_incarnation WHERE incarnation_id = ?")) {
      select.setString(1, incarnationId);
      try (ResultSet row = select.executeQuery()) {
        return row.next();
      }
    }
  }

  /** The peer's incarnation that this node's {@code lastProcessed} for it counts in, or null. */
  public static String peerIncarnation(Connection connection, String nodeId, String peerId)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT peer_incarnation FROM ds_node_pointer WHERE node_id = ? AND peer_id = ?")) {
      select.setString(1, nodeId);
      select.setString(2, peerId);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getString(1) : null;
      }
    }
  }

  /** Whether this node has taken batches of the peer in that incarnation before. */
  public static boolean seen(
      Connection connection, String nodeId, String peerId, String incarnationId)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT 1 FROM ds_peer_incarnation"
                + " WHERE node_id = ? AND peer_id = ? AND incarnation_id = ?")) {
      select.setString(1, nodeId);
      select.setString(2, peerId);
      select.setString(3, incarnationId);
      try (ResultSet row = select.executeQuery()) {
        return row.next();
      }
    }
  }

  /**
   * Makes the incarnation the peer's current one for this node, on an existing pointer row locked
   * by the caller's transaction.
   */
  public static void adopt(
      Connection connection, String nodeId, String peerId, Incarnation incarnation)
      throws SQLException {
    Timestamp now = new Timestamp(System.currentTimeMillis());
    if (!seen(connection, nodeId, peerId, incarnation.id())) {
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO ds_peer_incarnation (node_id, peer_id, incarnation_id, base_seq,"
                  + " first_seen) VALUES (?, ?, ?, ?, ?)")) {
        insert.setString(1, nodeId);
        insert.setString(2, peerId);
        insert.setString(3, incarnation.id());
        insert.setLong(4, incarnation.baseSeq());
        insert.setTimestamp(5, now);
        insert.executeUpdate();
      }
    }
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE ds_node_pointer SET peer_incarnation = ?, updated_at = ?"
                + " WHERE node_id = ? AND peer_id = ?")) {
      update.setString(1, incarnation.id());
      update.setTimestamp(2, now);
      update.setString(3, nodeId);
      update.setString(4, peerId);
      update.executeUpdate();
    }
  }

  /**
   * Sets {@code lastProcessed} of an existing pointer row back to {@code rebase.toSeq()} and
   * records the re-base, in the caller's transaction.
   */
  public static void rebase(Connection connection, Rebase rebase) throws SQLException {
    Timestamp at = Timestamp.from(rebase.at());
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE ds_node_pointer SET last_processed = ?, updated_at = ?"
                + " WHERE node_id = ? AND peer_id = ?")) {
      update.setLong(1, rebase.toSeq());
      update.setTimestamp(2, at);
      update.setString(3, rebase.nodeId());
      update.setString(4, rebase.peerId());
      update.executeUpdate();
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO ds_rebase (node_id, peer_id, from_seq, to_seq, old_incarnation,"
                + " new_incarnation, reason, rebased_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, rebase.nodeId());
      insert.setString(2, rebase.peerId());
      insert.setLong(3, rebase.fromSeq());
      insert.setLong(4, rebase.toSeq());
      insert.setString(5, rebase.oldIncarnation());
      insert.setString(6, rebase.newIncarnation());
      String reason = rebase.reason();
      insert.setString(7, reason.length() > 512 ? reason.substring(0, 512) : reason);
      insert.setTimestamp(8, at);
      insert.executeUpdate();
    }
  }

  /** The re-bases this node made, newest first, at most {@code limit}. */
  public static List<Rebase> rebases(Connection connection, String nodeId, int limit)
      throws SQLException {
    List<Rebase> all = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT peer_id, from_seq, to_seq, old_incarnation, new_incarnation, reason,"
                + " rebased_at FROM ds_rebase WHERE node_id = ? ORDER BY id DESC LIMIT ?")) {
      select.setString(1, nodeId);
      select.setInt(2, limit);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          all.add(
              new Rebase(
                  nodeId,
                  rows.getString(1),
                  rows.getLong(2),
                  rows.getLong(3),
                  rows.getString(4),
                  rows.getString(5),
                  rows.getString(6),
                  rows.getTimestamp(7).toInstant()));
        }
      }
    }
    return all;
  }
}
