package io.deltasync.console.deadletter;

import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaCodec;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads {@code ds_dead_letter} for the Dead letters page, newest first, keyset-paged by id,
 * filtered by status and sender. Read only: retry and skip go through the engine. Thread-safe.
 */
@Component
public class DeadLetterReader {

  private static final String COLUMNS =
      "id, delta_id, origin, received_from, source_seq, status, reason, attempts, payload,"
          + " created_at, updated_at";

  private final JdbcTemplate jdbc;

  public DeadLetterReader(DataSource dataSource) {
    this.jdbc = new JdbcTemplate(dataSource);
  }

  /**
   * Dead letters with an id below {@code beforeId}, newest first.
   *
   * @param status only this status; null for any
   * @param receivedFrom only those this peer sent; null for any
   */
  public List<DeadLetterRow> list(String status, String receivedFrom, long beforeId, int limit) {
    StringBuilder sql =
        new StringBuilder("SELECT ").append(COLUMNS).append(" FROM ds_dead_letter WHERE id < ?");
    List<Object> args = new ArrayList<>(List.of(beforeId));
    if (status != null && !status.isBlank()) {
      sql.append(" AND status = ?");
      args.add(status.trim());
    }
    if (receivedFrom != null && !receivedFrom.isBlank()) {
      sql.append(" AND received_from = ?");
      args.add(receivedFrom.trim());
    }
    sql.append(" ORDER BY id DESC LIMIT ?");
    args.add(limit);
    return jdbc.query(sql.toString(), (row, index) -> read(row), args.toArray());
  }

  /** One dead letter, or empty when there is none with that id. */
  public Optional<DeadLetterRow> find(long id) {
    return jdbc
        .query("SELECT " + COLUMNS + " FROM ds_dead_letter WHERE id = ?", (row, i) -> read(row), id)
        .stream()
        .findFirst();
  }

  /** How many dead letters are waiting, by status. */
  public long count(String status) {
    Long count =
        jdbc.queryForObject(
            "SELECT COUNT(*) FROM ds_dead_letter WHERE status = ?", Long.class, status);
    return count == null ? 0 : count;
  }

  /** How many dead letters there are, of any status. */
  public long count() {
    Long count = jdbc.queryForObject("SELECT COUNT(*) FROM ds_dead_letter", Long.class);
    return count == null ? 0 : count;
  }

  private static DeadLetterRow read(ResultSet row) throws SQLException {
    return new DeadLetterRow(
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
        decode(row.getString("payload")));
  }

  private static Delta decode(String payload) {
    try {
      return DeltaCodec.decode(payload.getBytes(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return null;
    }
  }
}
