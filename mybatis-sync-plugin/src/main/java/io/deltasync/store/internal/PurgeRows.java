package io.deltasync.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;

/**
 * The SQL of purges and re-sends over {@code ds_delta}: counts and deletes of seq ranges,
 * optionally only of deltas stored before an instant.
 */
public final class PurgeRows {

  private PurgeRows() {}

  /**
   * The highest seq of a delta stored before the instant; 0 when there is none. Read backwards
   * along the primary key from the newest delta, not from an index on {@code stored_at} (which
   * every capture would pay for): deltas are stored in seq order, so the walk stops at the first
   * delta older than the instant.
   */
  public static long lastSeqStoredBefore(Connection connection, Timestamp before)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT seq FROM ds_delta WHERE stored_at < ? ORDER BY seq DESC LIMIT 1")) {
      select.setTimestamp(1, before);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getLong(1) : 0;
      }
    }
  }

  /**
   * How many deltas have a seq in {@code (afterSeq, upToSeq]}, were stored before {@code before}
   * (when not null), and would be sent to {@code peer} (when not null, see {@link
   * DeltaRows#SENT_TO_PEER}).
   */
  public static long count(
      Connection connection, long afterSeq, long upToSeq, Timestamp before, String peer)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT COUNT(*) FROM ds_delta WHERE seq > ? AND seq <= ?"
                + (before == null ? "" : " AND stored_at < ?")
                + (peer == null ? "" : " AND " + DeltaRows.SENT_TO_PEER))) {
      int i = 1;
      select.setLong(i++, afterSeq);
      select.setLong(i++, upToSeq);
      if (before != null) {
        select.setTimestamp(i++, before);
      }
      if (peer != null) {
        select.setString(i++, peer);
        select.setString(i, peer);
      }
      return single(select);
    }
  }

  /**
   * Deletes the deltas with a seq in {@code (afterSeq, upToSeq]}, stored before (when not null).
   */
  public static long delete(Connection connection, long afterSeq, long upToSeq, Timestamp before)
      throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement(
            "DELETE FROM ds_delta WHERE seq > ? AND seq <= ?"
                + (before == null ? "" : " AND stored_at < ?"))) {
      delete.setLong(1, afterSeq);
      delete.setLong(2, upToSeq);
      if (before != null) {
        delete.setTimestamp(3, before);
      }
      return delete.executeUpdate();
    }
  }

  /** The lowest seq above {@code seq}, or -1 when there is none. */
  public static long nextSeq(Connection connection, long seq) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("SELECT MIN(seq) FROM ds_delta WHERE seq > ?")) {
      select.setLong(1, seq);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        long next = row.getLong(1);
        return row.wasNull() ? -1 : next;
      }
    }
  }

  private static long single(PreparedStatement select) throws SQLException {
    try (ResultSet row = select.executeQuery()) {
      row.next();
      return row.getLong(1);
    }
  }
}
