package io.deltasync.load.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.deltasync.delta.Incarnation;
import io.deltasync.load.LoadStart;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The SQL of {@code ds_load}: one row per (peer, table) of this node's load from that peer. */
public final class LoadRows {

  /**
   * A table's row: where its load stands.
   *
   * @param pushedBefore this node's {@code lastPushed} to the peer when the load opened: its own
   *     deltas up to it are in the snapshot
   * @param rowsTotal the table's rows in the peer's snapshot, null when the peer did not say
   * @param startedAt when the load opened, null for loads begun before it was kept
   * @param updatedAt when the table's row last changed
   */
  public record Progress(
      String table,
      LoadStart start,
      List<String> lastKey,
      long rows,
      boolean done,
      long pushedBefore,
      Long rowsTotal,
      Instant startedAt,
      Instant updatedAt) {}

  private static final JsonFactory JSON = new JsonFactory();

  private LoadRows() {}

  /** This node's load rows for the peer, by table name. */
  public static List<Progress> read(Connection connection, String peerId) throws SQLException {
    List<Progress> all = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT table_name, load_id, snapshot_seq, peer_incarnation, peer_incarnation_base,"
                + " last_key, rows_loaded, state, pushed_before, rows_total, started_at,"
                + " updated_at FROM ds_load WHERE peer_id = ? ORDER BY table_name")) {
      select.setString(1, peerId);
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          String incarnation = row.getString(4);
          LoadStart start =
              new LoadStart(
                  row.getString(2),
                  row.getLong(3),
                  incarnation == null ? null : new Incarnation(incarnation, row.getLong(5)),
                  List.of(row.getString(1)));
          all.add(
              new Progress(
                  row.getString(1),
                  start,
                  key(row.getString(6)),
                  row.getLong(7),
                  "DONE".equals(row.getString(8)),
                  row.getLong(9),
                  row.getObject(10) == null ? null : row.getLong(10),
                  instant(row.getTimestamp(11)),
                  instant(row.getTimestamp(12))));
        }
      }
    }
    return all;
  }

  /** The peers this node holds load rows for, by id. */
  public static List<String> peers(Connection connection) throws SQLException {
    List<String> peers = new ArrayList<>();
    try (PreparedStatement select =
            connection.prepareStatement("SELECT DISTINCT peer_id FROM ds_load ORDER BY peer_id");
        ResultSet row = select.executeQuery()) {
      while (row.next()) {
        peers.add(row.getString(1));
      }
    }
    return peers;
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }

  /** Replaces the peer's load rows with one LOADING row per table of a new load. */
  public static void begin(
      Connection connection, String peerId, LoadStart start, List<String> tables, long pushedBefore)
      throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM ds_load WHERE peer_id = ?")) {
      delete.setString(1, peerId);
      delete.executeUpdate();
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO ds_load (peer_id, table_name, load_id, snapshot_seq, peer_incarnation,"
                + " peer_incarnation_base, last_key, rows_loaded, state, updated_at, pushed_before,"
                + " started_at, rows_total) VALUES (?, ?, ?, ?, ?, ?, NULL, 0, 'LOADING', ?, ?, ?,"
                + " ?)")) {
      Timestamp now = new Timestamp(System.currentTimeMillis());
      for (String table : tables) {
        insert.setString(1, peerId);
        insert.setString(2, table);
        insert.setString(3, start.loadId());
        insert.setLong(4, start.snapshotSeq());
        insert.setString(5, start.incarnation() == null ? null : start.incarnation().id());
        if (start.incarnation() == null) {
          insert.setNull(6, java.sql.Types.BIGINT);
        } else {
          insert.setLong(6, start.incarnation().baseSeq());
        }
        insert.setTimestamp(7, now);
        insert.setLong(8, pushedBefore);
        insert.setTimestamp(9, now);
        Long total = start.rows().get(table);
        if (total == null) {
          insert.setNull(10, java.sql.Types.BIGINT);
        } else {
          insert.setLong(10, total);
        }
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /** Moves a table's load on by one applied chunk. */
  public static void advance(
      Connection connection,
      String peerId,
      String table,
      List<String> lastKey,
      long rows,
      boolean done)
      throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE ds_load SET last_key = ?, rows_loaded = rows_loaded + ?, state = ?,"
                + " updated_at = ? WHERE peer_id = ? AND table_name = ?")) {
      update.setString(1, lastKey == null ? null : json(lastKey));
      update.setLong(2, rows);
      update.setString(3, done ? "DONE" : "LOADING");
      update.setTimestamp(4, new Timestamp(System.currentTimeMillis()));
      update.setString(5, peerId);
      update.setString(6, table);
      update.executeUpdate();
    }
  }

  /** Whether this node holds any load row for the peer. */
  public static boolean any(Connection connection, String peerId) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("SELECT COUNT(*) FROM ds_load WHERE peer_id = ?")) {
      select.setString(1, peerId);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getLong(1) > 0;
      }
    }
  }

  static String json(List<String> key) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartArray();
      for (String text : key) {
        g.writeString(text);
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  static List<String> key(String json) {
    if (json == null) {
      return null;
    }
    List<String> key = new ArrayList<>();
    try (JsonParser p = JSON.createParser(json)) {
      p.nextToken();
      while (p.nextToken() == JsonToken.VALUE_STRING) {
        key.add(p.getText());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return key;
  }
}
