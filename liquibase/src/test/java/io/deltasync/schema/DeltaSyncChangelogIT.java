package io.deltasync.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeltaSyncChangelogIT {

  private static final String DS_DELTA_INSERT =
      "INSERT INTO ds_delta (delta_id, origin, tx_id, captured_at, statement_id, kind, sql_text,"
          + " params, stored_at) VALUES (?, 'node-a', 'tx-1', 42, 'Mapper.insert', 'INSERT',"
          + " 'INSERT INTO t (id) VALUES (?)', '[1]', ?)";

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"h2", "postgresql", "mariadb"})
  void appliesTwiceWithoutChangesTheSecondTime(String kind) throws SQLException {
    try (TestDatabase db = fresh(kind, "twice")) {
      db.migrate();
      long afterFirst = changeLogRows(db);
      db.migrate();

      assertThat(afterFirst).isEqualTo(23);
      assertThat(changeLogRows(db)).isEqualTo(afterFirst);
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"h2", "postgresql", "mariadb"})
  void seedsTheLockRowsOnce(String kind) throws SQLException {
    try (TestDatabase db = fresh(kind, "lock").migrate()) {
      db.migrate();
      try (var connection = db.dataSource().getConnection();
          var statement = connection.createStatement();
          var rows = statement.executeQuery("SELECT name FROM ds_lock ORDER BY name")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString(1)).isEqualTo("ds_conflict");
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString(1)).isEqualTo("ds_delta");
        assertThat(rows.next()).isFalse();
      }
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"h2", "postgresql", "mariadb"})
  void createsTheTablesWithTheirColumns(String kind) throws SQLException {
    try (TestDatabase db = fresh(kind, "columns").migrate()) {
      Map<String, List<String>> columns = dsColumns(db);

      assertThat(columns)
          .containsOnlyKeys(
              "ds_delta",
              "ds_node_pointer",
              "ds_dead_letter",
              "ds_lock",
              "ds_node",
              "ds_conflict",
              "ds_audit",
              "ds_incarnation",
              "ds_peer_incarnation",
              "ds_rebase",
              "ds_load",
              "ds_reload",
              "ds_table_reload");
      assertThat(columns.get("ds_load"))
          .containsExactly(
              "peer_id",
              "table_name",
              "load_id",
              "snapshot_seq",
              "peer_incarnation",
              "peer_incarnation_base",
              "last_key",
              "rows_loaded",
              "state",
              "updated_at",
              "pushed_before",
              "started_at",
              "rows_total");
      assertThat(columns.get("ds_reload"))
          .containsExactly("node_id", "source_id", "reason", "state", "noted_at");
      assertThat(columns.get("ds_table_reload"))
          .containsExactly(
              "node_id",
              "source_id",
              "table_name",
              "request_id",
              "requested_by",
              "state",
              "error",
              "noted_at");
      assertThat(columns.get("ds_incarnation"))
          .containsExactly("ordinal", "incarnation_id", "base_seq", "started_at");
      assertThat(columns.get("ds_peer_incarnation"))
          .containsExactly("node_id", "peer_id", "incarnation_id", "base_seq", "first_seen");
      assertThat(columns.get("ds_rebase"))
          .containsExactly(
              "id",
              "node_id",
              "peer_id",
              "from_seq",
              "to_seq",
              "old_incarnation",
              "new_incarnation",
              "reason",
              "rebased_at");
      assertThat(columns.get("ds_audit"))
          .containsExactly(
              "audit_id",
              "performed_at",
              "username",
              "action_name",
              "node_id",
              "peer_id",
              "target",
              "rows_affected",
              "forced",
              "outcome",
              "message");
      assertThat(columns.get("ds_conflict"))
          .containsExactly(
              "conflict_id",
              "detected_at",
              "table_name",
              "row_key",
              "incoming_delta_id",
              "incoming_origin",
              "incoming_delta",
              "hub_deltas",
              "hub_row",
              "incoming_row",
              "policy",
              "status",
              "outcome",
              "result_row",
              "image_delta_ids",
              "resolved_at",
              "resolved_by",
              "detail");
      assertThat(columns.get("ds_node"))
          .containsExactly(
              "node_id", "role", "address", "version", "seen_via", "first_seen", "last_heartbeat");
      assertThat(columns.get("ds_lock")).containsExactly("name");
      assertThat(columns.get("ds_delta"))
          .containsExactly(
              "seq",
              "delta_id",
              "origin",
              "received_from",
              "source_seq",
              "tx_id",
              "captured_at",
              "basis",
              "statement_id",
              "kind",
              "table_name",
              "row_key",
              "sql_text",
              "params",
              "stored_at");
      assertThat(columns.get("ds_node_pointer"))
          .containsExactly(
              "node_id",
              "peer_id",
              "last_pushed",
              "last_processed",
              "updated_at",
              "peer_incarnation");
      assertThat(columns.get("ds_dead_letter"))
          .containsExactly(
              "id",
              "delta_id",
              "origin",
              "received_from",
              "source_seq",
              "status",
              "reason",
              "attempts",
              "payload",
              "created_at",
              "updated_at",
              "handled_by",
              "handled_at");
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"h2", "postgresql", "mariadb"})
  void numbersInsertedDeltasWithIncreasingSeq(String kind) throws SQLException {
    try (TestDatabase db = fresh(kind, "seq").migrate();
        Connection connection = db.dataSource().getConnection()) {
      insertDelta(connection, "00000000-0000-0000-0000-000000000001");
      insertDelta(connection, "00000000-0000-0000-0000-000000000002");

      long first = seqOf(connection, "00000000-0000-0000-0000-000000000001");
      long second = seqOf(connection, "00000000-0000-0000-0000-000000000002");
      assertThat(first).isPositive();
      assertThat(second).isGreaterThan(first);
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"h2", "postgresql", "mariadb"})
  void rejectsADuplicateDeltaId(String kind) throws SQLException {
    try (TestDatabase db = fresh(kind, "unique").migrate();
        Connection connection = db.dataSource().getConnection()) {
      insertDelta(connection, "00000000-0000-0000-0000-000000000001");

      assertThatThrownBy(() -> insertDelta(connection, "00000000-0000-0000-0000-000000000001"))
          .isInstanceOfSatisfying(
              SQLException.class,
              e -> {
                assertThat(e.getSQLState()).startsWith("23");
                assertThat(e.getMessage()).containsIgnoringCase("uq_ds_delta_delta_id");
              });
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"h2", "postgresql", "mariadb"})
  void rejectsASecondPointerForTheSameNodeAndPeer(String kind) throws SQLException {
    try (TestDatabase db = fresh(kind, "pointer").migrate()) {
      db.execute(pointerInsert("node-a", "node-b"), pointerInsert("node-a", "node-c"));

      assertThatThrownBy(() -> db.execute(pointerInsert("node-a", "node-b")))
          .cause()
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).startsWith("23"));
    }
  }

  private static TestDatabase fresh(String kind, String name) {
    return switch (kind) {
      case "h2" -> TestDatabases.h2(name);
      case "postgresql" -> TestDatabases.postgres(name);
      case "mariadb" -> TestDatabases.mariadb(name);
      default -> throw new IllegalArgumentException(kind);
    };
  }

  private static long changeLogRows(TestDatabase db) throws SQLException {
    try (Connection connection = db.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM DATABASECHANGELOG")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static Map<String, List<String>> dsColumns(TestDatabase db) throws SQLException {
    Map<String, List<String>> columns = new TreeMap<>();
    try (Connection connection = db.dataSource().getConnection()) {
      DatabaseMetaData metaData = connection.getMetaData();
      try (ResultSet rows =
          metaData.getColumns(connection.getCatalog(), connection.getSchema(), null, null)) {
        while (rows.next()) {
          String table = rows.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
          if (table.startsWith("ds_")) {
            columns
                .computeIfAbsent(table, t -> new ArrayList<>())
                .add(rows.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
          }
        }
      }
    }
    return columns;
  }

  private static void insertDelta(Connection connection, String deltaId) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(DS_DELTA_INSERT)) {
      insert.setString(1, deltaId);
      insert.setTimestamp(2, Timestamp.from(Instant.now()));
      insert.executeUpdate();
    }
  }

  private static long seqOf(Connection connection, String deltaId) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("SELECT seq FROM ds_delta WHERE delta_id = ?")) {
      select.setString(1, deltaId);
      try (ResultSet rows = select.executeQuery()) {
        assertThat(rows.next()).isTrue();
        return rows.getLong(1);
      }
    }
  }

  private static String pointerInsert(String nodeId, String peerId) {
    return "INSERT INTO ds_node_pointer (node_id, peer_id, updated_at) VALUES ('"
        + nodeId
        + "', '"
        + peerId
        + "', CURRENT_TIMESTAMP)";
  }
}
