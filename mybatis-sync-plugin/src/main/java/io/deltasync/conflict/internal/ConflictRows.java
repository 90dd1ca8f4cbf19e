package io.deltasync.conflict.internal;

import io.deltasync.conflict.Conflict;
import io.deltasync.conflict.ConflictOutcome;
import io.deltasync.conflict.ConflictRecord;
import io.deltasync.conflict.ConflictStatus;
import io.deltasync.conflict.Row;
import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.DeltaCodec;
import io.deltasync.delta.DeltaIds;
import io.deltasync.delta.RowKey;
import io.deltasync.store.internal.DeltaRows;
import io.deltasync.store.internal.ValueLists;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The SQL of {@code ds_conflict}: the one place that writes and reads its rows. */
public final class ConflictRows {

  private static final String COLUMNS =
      "conflict_id, detected_at, table_name, row_key, incoming_delta, hub_deltas, hub_row,"
          + " incoming_row, policy, status, outcome, result_row, image_delta_ids, resolved_at,"
          + " resolved_by, detail";

  private static final int IN_CHUNK = 200;

  private ConflictRows() {}

  /**
   * Locks the {@code ds_conflict} row of {@code ds_lock} until the transaction ends. A hub's
   * appliers and resolutions take it first, so each one's conflict check sees everything the
   * previous ones committed: two clients pushing changes of one row at once cannot both find no
   * conflict. Taken before any other read, so that a REPEATABLE READ snapshot starts after it.
   */
  public static void lock(Connection connection) throws SQLException {
    try (PreparedStatement lock =
            connection.prepareStatement(
                "SELECT name FROM ds_lock WHERE name = 'ds_conflict' FOR UPDATE");
        ResultSet row = lock.executeQuery()) {
      if (!row.next()) {
        throw new SQLException(
            "ds_lock has no 'ds_conflict' row; apply the DeltaSync changelog"
                + " db/changelog/deltasync-master.yaml");
      }
    }
  }

  /** Records a conflict, open or already resolved, and returns its number. */
  public static long insert(
      Connection connection,
      String nodeId,
      Conflict conflict,
      String policy,
      ConflictOutcome outcome,
      Row after,
      String detail)
      throws SQLException {
    Timestamp now = new Timestamp(System.currentTimeMillis());
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO ds_conflict (detected_at, table_name, row_key, incoming_delta_id,"
                + " incoming_origin, incoming_delta, hub_deltas, hub_row, incoming_row, policy,"
                + " status, outcome, result_row, resolved_at, resolved_by, detail)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            Statement.RETURN_GENERATED_KEYS)) {
      insert.setTimestamp(1, now);
      insert.setString(2, conflict.table());
      insert.setString(3, keyText(conflict.rowKey()));
      insert.setString(4, conflict.incoming().id());
      insert.setString(5, conflict.incoming().origin());
      insert.setString(
          6, new String(DeltaCodec.encode(conflict.incoming()), StandardCharsets.UTF_8));
      insert.setString(
          7,
          new String(
              DeltaCodec.encodeBatch(
                  new DeltaBatch(
                      nodeId, DeltaIds.next(), 0, lastSeq(conflict), conflict.hubDeltas())),
              StandardCharsets.UTF_8));
      insert.setString(8, RowCodec.encode(conflict.hubRow()));
      insert.setString(9, RowCodec.encode(conflict.incomingRow()));
      insert.setString(10, policy);
      boolean open = outcome == null;
      insert.setString(11, (open ? ConflictStatus.OPEN : ConflictStatus.RESOLVED).name());
      insert.setString(12, open ? null : outcome.name());
      insert.setString(13, RowCodec.encode(after));
      insert.setTimestamp(14, open ? null : now);
      insert.setString(15, open ? null : policy);
      insert.setString(16, clip(detail));
      insert.executeUpdate();
      try (ResultSet keys = insert.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  /** Marks an open conflict resolved. */
  public static void resolve(
      Connection connection,
      long id,
      ConflictOutcome outcome,
      Row after,
      String resolvedBy,
      String detail)
      throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE ds_conflict SET status = ?, outcome = ?, result_row = ?, resolved_at = ?,"
                + " resolved_by = ?, detail = ? WHERE conflict_id = ?")) {
      update.setString(1, ConflictStatus.RESOLVED.name());
      update.setString(2, outcome.name());
      update.setString(3, RowCodec.encode(after));
      update.setTimestamp(4, new Timestamp(System.currentTimeMillis()));
      update.setString(5, resolvedBy);
      update.setString(6, clip(detail));
      update.setLong(7, id);
      update.executeUpdate();
    }
  }

  /** Records the row images sent after resolving. */
  public static void setImages(Connection connection, long id, List<String> imageIds)
      throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE ds_conflict SET image_delta_ids = ? WHERE conflict_id = ?")) {
      update.setString(1, imageIds.isEmpty() ? null : clip(String.join(",", imageIds)));
      update.setLong(2, id);
      update.executeUpdate();
    }
  }

  /**
   * The rows with an open conflict, as {@code table + " " + row_key} (row_key "null" for a
   * table-level one).
   */
  public static Set<String> openRows(Connection connection) throws SQLException {
    Set<String> open = new HashSet<>();
    try (PreparedStatement select =
            connection.prepareStatement(
                "SELECT DISTINCT table_name, row_key FROM ds_conflict WHERE status = 'OPEN'");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        open.add(rows.getString(1) + " " + rows.getString(2));
      }
    }
    return open;
  }

  /** Which of these delta ids arrived as the incoming side of a recorded conflict. */
  public static Set<String> existingIds(Connection connection, List<String> ids)
      throws SQLException {
    return DeltaRows.textsIn(
        connection,
        "SELECT incoming_delta_id FROM ds_conflict WHERE incoming_delta_id " + ValueLists.LIST,
        ids);
  }

  /** Conflicts newest first, of one status or all (null). */
  public static List<ConflictRecord> list(Connection connection, ConflictStatus status, int limit)
      throws SQLException {
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM ds_conflict"
            + (status == null ? "" : " WHERE status = ?")
            + " ORDER BY conflict_id DESC LIMIT ?";
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      int index = 1;
      if (status != null) {
        select.setString(index++, status.name());
      }
      select.setInt(index, limit);
      return readAll(select);
    }
  }

  /** One conflict; {@code lock} holds its row until the transaction ends. */
  public static Optional<ConflictRecord> find(Connection connection, long id, boolean lock)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM ds_conflict WHERE conflict_id = ?"
                + (lock ? " FOR UPDATE" : ""))) {
      select.setLong(1, id);
      return readAll(select).stream().findFirst();
    }
  }

  /** The resolved conflict on the row whose row images include the image, if any. */
  public static Optional<ConflictRecord> resolvedWithImage(
      Connection connection, String table, String rowKeyText, String imageId) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM ds_conflict WHERE table_name = ? AND row_key = ? AND status = 'RESOLVED'"
                + " AND image_delta_ids LIKE ?")) {
      select.setString(1, table);
      select.setString(2, rowKeyText);
      select.setString(3, "%" + imageId + "%");
      return readAll(select).stream()
          .filter(record -> record.imageDeltaIds().contains(imageId))
          .findFirst();
    }
  }

  /** How many conflicts have the status, or all (null). */
  public static long count(Connection connection, ConflictStatus status) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT COUNT(*) FROM ds_conflict" + (status == null ? "" : " WHERE status = ?"))) {
      if (status != null) {
        select.setString(1, status.name());
      }
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  private static List<ConflictRecord> readAll(PreparedStatement select) throws SQLException {
    List<ConflictRecord> records = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        records.add(read(rows));
      }
    }
    return records;
  }

  private static ConflictRecord read(ResultSet row) throws SQLException {
    String rowKey = row.getString("row_key");
    String outcome = row.getString("outcome");
    String images = row.getString("image_delta_ids");
    Timestamp resolvedAt = row.getTimestamp("resolved_at");
    return new ConflictRecord(
        row.getLong("conflict_id"),
        row.getTimestamp("detected_at").toInstant(),
        row.getString("table_name"),
        rowKey == null ? null : DeltaCodec.decodeRowKey(rowKey),
        DeltaCodec.decode(row.getString("incoming_delta").getBytes(StandardCharsets.UTF_8)),
        DeltaCodec.decodeBatch(row.getString("hub_deltas").getBytes(StandardCharsets.UTF_8))
            .deltas(),
        RowCodec.decode(row.getString("hub_row")),
        RowCodec.decode(row.getString("incoming_row")),
        row.getString("policy"),
        ConflictStatus.valueOf(row.getString("status")),
        outcome == null ? null : ConflictOutcome.valueOf(outcome),
        RowCodec.decode(row.getString("result_row")),
        images == null ? List.of() : Arrays.asList(images.split(",")),
        resolvedAt == null ? null : resolvedAt.toInstant(),
        row.getString("resolved_by"),
        row.getString("detail"));
  }

  private static long lastSeq(Conflict conflict) {
    return conflict.hubDeltas().isEmpty()
        ? 0
        : conflict.hubDeltas().get(conflict.hubDeltas().size() - 1).seq();
  }

  /** The key as stored in {@code ds_delta.row_key} too, so both compare as text. */
  public static String keyText(RowKey rowKey) {
    return rowKey == null ? null : DeltaCodec.encodeRowKey(rowKey);
  }

  private static String clip(String text) {
    return text == null || text.length() <= 2000 ? text : text.substring(0, 1997) + "...";
  }
}
