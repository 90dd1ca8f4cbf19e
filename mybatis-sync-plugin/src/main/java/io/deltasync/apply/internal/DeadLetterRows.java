package io.deltasync.apply.internal;

import io.deltasync.apply.DeadLetter;
import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaCodec;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The SQL of {@code ds_dead_letter}: the one place that writes and reads its rows. */
public final class DeadLetterRows {

  /** A delta that was refused and never executed. */
  public static final String QUARANTINED = "QUARANTINED";

  /** A delta whose execution failed; its origin's stream waits for it. */
  public static final String FAILED = "FAILED";

  /**
   * A delta an operator skipped: never executed, and recognised (by id) and skipped when it is
   * delivered again.
   */
  public static final String SKIPPED = "SKIPPED";

  /** A quarantined delta an operator retried and that was then applied. */
  public static final String APPLIED = "APPLIED";

  private static final int MAX_REASON = 2000;

  private static final String COLUMNS =
      "id, delta_id, origin, received_from, source_seq, status, reason, attempts, created_at,"
          + " updated_at, payload";

  private DeadLetterRows() {}

  /**
   * What {@link #record} did: the attempts the record counts now (0 when an operator had handled
   * it, so nothing was recorded), and whether it had the same reason before this attempt.
   */
  public record Recorded(int attempts, boolean sameReason) {}

  /**
   * Records the delta with its reason, or counts another attempt when it is already recorded. A
   * record an operator handled ({@link #SKIPPED}, {@link #APPLIED}) stays as it is.
   */
  public static Recorded record(
      Connection connection, Delta delta, String receivedFrom, String status, String reason)
      throws SQLException {
    String text = clip(reason);
    Timestamp now = new Timestamp(System.currentTimeMillis());
    int attempts;
    String before;
    String beforeStatus;
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT attempts, reason, status FROM ds_dead_letter WHERE delta_id = ?"
                + " AND received_from = ?")) {
      select.setString(1, delta.id());
      select.setString(2, receivedFrom);
      try (ResultSet row = select.executeQuery()) {
        if (row.next()) {
          attempts = row.getInt(1);
          before = row.getString(2);
          beforeStatus = row.getString(3);
        } else {
          attempts = 0;
          before = null;
          beforeStatus = null;
        }
      }
    }
    if (beforeStatus != null) {
      if (!QUARANTINED.equals(beforeStatus) && !FAILED.equals(beforeStatus)) {
        return new Recorded(0, false);
      }
      try (PreparedStatement update =
          connection.prepareStatement(
              "UPDATE ds_dead_letter SET status = ?, reason = ?, attempts = attempts + 1,"
                  + " updated_at = ? WHERE delta_id = ? AND received_from = ?"
                  + " AND status IN (?, ?)")) {
        update.setString(1, status);
        update.setString(2, text);
        update.setTimestamp(3, now);
        update.setString(4, delta.id());
        update.setString(5, receivedFrom);
        update.setString(6, QUARANTINED);
        update.setString(7, FAILED);
        if (update.executeUpdate() > 0) {
          return new Recorded(attempts + 1, text.equals(before));
        }
        return new Recorded(0, false); // handled by an operator meanwhile
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
    return new Recorded(1, false);
  }

  /** The reason cut to what the column holds. */
  public static String clip(String reason) {
    return reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
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

  /** Records, newest first: id below {@code beforeId}, with the status and sender when not null. */
  public static List<DeadLetter> list(
      Connection connection, String status, String receivedFrom, long beforeId, int limit)
      throws SQLException {
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM ds_dead_letter WHERE id < ?"
            + (status == null ? "" : " AND status = ?")
            + (receivedFrom == null ? "" : " AND received_from = ?")
            + " ORDER BY id DESC LIMIT ?";
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      int i = 1;
      select.setLong(i++, beforeId);
      if (status != null) {
        select.setString(i++, status);
      }
      if (receivedFrom != null) {
        select.setString(i++, receivedFrom);
      }
      select.setInt(i, limit);
      List<DeadLetter> letters = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          letters.add(read(rows));
        }
      }
      return letters;
    }
  }

  /**
   * One record, or empty.
   *
   * @param forUpdate lock the row until the transaction ends
   */
  public static Optional<DeadLetter> find(Connection connection, long id, boolean forUpdate)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM ds_dead_letter WHERE id = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
      select.setLong(1, id);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? Optional.of(read(row)) : Optional.empty();
      }
    }
  }

  /** How many records wait for an operator: {@link #QUARANTINED} or {@link #FAILED}. */
  public static long countWaiting(Connection connection) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("SELECT COUNT(*) FROM ds_dead_letter WHERE status IN (?, ?)")) {
      select.setString(1, QUARANTINED);
      select.setString(2, FAILED);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  /** Who handled the record and when, or empty when no operator has. */
  public static Optional<String[]> handled(Connection connection, long id) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT handled_by, handled_at FROM ds_dead_letter WHERE id = ?")) {
      select.setLong(1, id);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next() || row.getString(1) == null) {
          return Optional.empty();
        }
        return Optional.of(
            new String[] {row.getString(1), row.getTimestamp(2).toInstant().toString()});
      }
    }
  }

  /** Marks a record handled by an operator: new status, who and when. */
  public static void markHandled(Connection connection, long id, String status, String who)
      throws SQLException {
    Timestamp now = new Timestamp(System.currentTimeMillis());
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE ds_dead_letter SET status = ?, handled_by = ?, handled_at = ?,"
                + " updated_at = ? WHERE id = ?")) {
      update.setString(1, status);
      update.setString(2, who);
      update.setTimestamp(3, now);
      update.setTimestamp(4, now);
      update.setLong(5, id);
      update.executeUpdate();
    }
  }

  /**
   * Counts another attempt of a record that still failed, with the new reason; a record an operator
   * handled meanwhile stays as it is.
   */
  public static void attemptFailed(Connection connection, long id, String reason)
      throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE ds_dead_letter SET reason = ?, attempts = attempts + 1, updated_at = ?"
                + " WHERE id = ? AND status IN (?, ?)")) {
      update.setString(1, clip(reason));
      update.setTimestamp(2, new Timestamp(System.currentTimeMillis()));
      update.setLong(3, id);
      update.setString(4, QUARANTINED);
      update.setString(5, FAILED);
      update.executeUpdate();
    }
  }

  private static DeadLetter read(ResultSet row) throws SQLException {
    Delta delta;
    try {
      delta = DeltaCodec.decode(row.getString("payload").getBytes(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      delta = null; // shown without its decoded form; the record itself stays readable
    }
    return new DeadLetter(
        row.getLong("id"),
        row.getString("delta_id"),
        row.getString("origin"),
        row.getString("received_from"),
        row.getLong("source_seq"),
        row.getString("status"),
        row.getString("reason"),
        row.getInt("attempts"),
        row.getTimestamp("created_at").toInstant(),
        row.getTimestamp("updated_at").toInstant(),
        delta);
  }
}
