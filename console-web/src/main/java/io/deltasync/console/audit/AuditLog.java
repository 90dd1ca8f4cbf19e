package io.deltasync.console.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/**
 * The console's side of {@code ds_audit}: it appends entries and reads them, newest first, and
 * never updates or deletes one. Thread-safe.
 */
@Component
public class AuditLog {

  private static final String COLUMNS =
      "audit_id, performed_at, username, action_name, node_id, peer_id, target, rows_affected,"
          + " forced, outcome, message";

  private static final RowMapper<AuditEntry> ENTRY =
      (row, index) ->
          new AuditEntry(
              row.getLong("audit_id"),
              row.getTimestamp("performed_at").toInstant(),
              row.getString("username"),
              row.getString("action_name"),
              row.getString("node_id"),
              row.getString("peer_id"),
              row.getString("target"),
              row.getLong("rows_affected"),
              row.getBoolean("forced"),
              AuditEntry.Outcome.valueOf(row.getString("outcome")),
              row.getString("message"));

  private final JdbcTemplate jdbc;

  public AuditLog(DataSource dataSource) {
    this.jdbc = new JdbcTemplate(dataSource);
  }

  /** Appends an entry, in its own transaction; its id is ignored. */
  public void record(AuditEntry entry) {
    jdbc.update(
        "INSERT INTO ds_audit (performed_at, username, action_name, node_id, peer_id, target,"
            + " rows_affected, forced, outcome, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        Timestamp.from(entry.at()),
        entry.username(),
        entry.action(),
        entry.nodeId(),
        entry.peerId(),
        cut(entry.target(), 512),
        entry.rows(),
        entry.forced(),
        entry.outcome().name(),
        cut(entry.message(), 2000));
  }

  /** Appends an entry stamped now. */
  public void record(
      String username,
      String action,
      String nodeId,
      String peerId,
      String target,
      long rows,
      boolean forced,
      AuditEntry.Outcome outcome,
      String message) {
    record(
        new AuditEntry(
            0,
            Instant.now(),
            username,
            action,
            nodeId,
            peerId,
            target,
            rows,
            forced,
            outcome,
            message));
  }

  /**
   * Entries with an id below {@code beforeId}, newest first (keyset paging).
   *
   * @param action only this action; null for all
   */
  public List<AuditEntry> list(String action, long beforeId, int limit) {
    if (action == null || action.isBlank()) {
      return jdbc.query(
          "SELECT " + COLUMNS + " FROM ds_audit WHERE audit_id < ? ORDER BY audit_id DESC LIMIT ?",
          ENTRY,
          beforeId,
          limit);
    }
    return jdbc.query(
        "SELECT "
            + COLUMNS
            + " FROM ds_audit WHERE audit_id < ? AND action_name = ? ORDER BY audit_id DESC"
            + " LIMIT ?",
        ENTRY,
        beforeId,
        action,
        limit);
  }

  private static String cut(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
