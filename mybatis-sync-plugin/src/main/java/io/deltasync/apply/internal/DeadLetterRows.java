package io.deltasync.apply.internal;

import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaCodec;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;

/** The SQL of {@code ds_dead_letter}. */
public final class DeadLetterRows {

  /** A delta that was refused and never executed. */
  public static final String QUARANTINED = "QUARANTINED";

  /** A delta whose execution failed; its origin's stream waits for it. */
  public static final String FAILED = "FAILED";

  private static final int MAX_REASON = 2000;

  private DeadLetterRows() {}

  /** Records the delta with its reason, or counts another attempt when it is already recorded. */
  public static void record(
      Connection connection, Delta delta, String receivedFrom, String status, String reason)
      throws SQLException {
    String text = reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
    Timestamp now = new Timestamp(System.currentTimeMillis());
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE ds_dead_letter SET status = ?, reason = ?, attempts = attempts + 1,"
                + " updated_at = ? WHERE delta_id = ? AND received_from = ?")) {
      update.setString(1, status);
      update.setString(2, text);
      update.setTimestamp(3, now);
      update.setString(4, delta.id());
      update.setString(5, receivedFrom);
      if (update.executeUpdate() > 0) {
        return;
      }
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO ds_dead_letter (delta_id, origin, received_from, source_seq, status,"
                + " reason, attempts, payload, created_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)")) {
      insert.setString(1, delta.id());
      insert.setString(2, delta.origin());
      insert.setString(3, receivedFrom);
      insert.setLong(4, delta.seq());
      insert.setString(5, status);
      insert.setString(6, text);
      insert.setString(7, new String(DeltaCodec.encode(delta), StandardCharsets.UTF_8));
      insert.setTimestamp(8, now);
      insert.setTimestamp(9, now);
      insert.executeUpdate();
    }
  }

  /** Removes FAILED records of a sender's deltas that have since been applied (seq <= pointer). */
  public static void resolveFailed(Connection connection, String receivedFrom, long upToSeq)
      throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement(
            "DELETE FROM ds_dead_letter WHERE received_from = ? AND status = ?"
                + " AND source_seq <= ?")) {
      delete.setString(1, receivedFrom);
      delete.setString(2, FAILED);
      delete.setLong(3, upToSeq);
      delete.executeUpdate();
    }
  }
}
