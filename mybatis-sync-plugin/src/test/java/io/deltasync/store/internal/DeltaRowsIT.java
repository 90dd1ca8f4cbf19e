package io.deltasync.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaIds;
import io.deltasync.delta.Kind;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.delta.RowKey;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.GrownDsDelta;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The insert that takes the seq lock itself, on each database that has one (PostgreSQL's CTE, the
 * locking {@code INSERT ... SELECT} of H2, and of MariaDB for one delta; several go as a lock then
 * a batch there): it holds the lock to the end of the transaction, keeps a transaction's deltas in
 * order, and refuses to write without the lock row.
 */
class DeltaRowsIT {

  static Stream<String> databases() {
    return Stream.of("h2", "postgresql", "mariadb");
  }

  private static TestDatabase database(String kind) {
    TestDatabase db =
        switch (kind) {
          case "h2" -> TestDatabases.h2("delta_rows");
          case "postgresql" -> TestDatabases.postgres("delta_rows");
          default -> TestDatabases.mariadb("delta_rows");
        };
    return db.migrate();
  }

  @ParameterizedTest
  @MethodSource("databases")
  void holdsTheSeqLockFromTheInsertToTheEndOfTheTransaction(String kind) throws SQLException {
    TestDatabase db = database(kind);
    try (Connection writer = db.dataSource().getConnection();
        Connection other = db.dataSource().getConnection()) {
      // MariaDB keeps the separate lock read, measured faster there
      assertThat(DeltaRows.locksInInsert(writer)).isEqualTo(!kind.equals("mariadb"));
      writer.setAutoCommit(false);
      other.setAutoCommit(false);

      DeltaRows.insert(writer, List.of(delta()), null);

      assertThatThrownBy(() -> lockNoWait(other)).isInstanceOf(SQLException.class);
      other.rollback();
      writer.commit();
      lockNoWait(other);
      other.rollback();
    } finally {
      db.close();
    }
  }

  @ParameterizedTest
  @MethodSource("databases")
  void writesATransactionsDeltasInOrderWithConsecutiveSeqs(String kind) throws SQLException {
    TestDatabase db = database(kind);
    List<Delta> deltas = List.of(delta(), delta(), delta());
    try (Connection connection = db.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      DeltaRows.insert(connection, List.of(delta()), null);
      DeltaRows.insert(connection, deltas, null);
      connection.commit();
      connection.setAutoCommit(true);

      List<Long> seqs = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT seq, delta_id FROM ds_delta WHERE seq > 1 ORDER BY seq");
          ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          seqs.add(rows.getLong(1));
          ids.add(rows.getString(2));
        }
      }
      assertThat(seqs).containsExactly(2L, 3L, 4L);
      assertThat(ids).containsExactlyElementsOf(deltas.stream().map(Delta::id).toList());
    } finally {
      db.close();
    }
  }

  @ParameterizedTest
  @MethodSource("databases")
  void refusesToWriteWithoutTheLockRow(String kind) throws SQLException {
    TestDatabase db = database(kind);
    db.execute("DELETE FROM ds_lock");
    try (Connection connection = db.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      for (List<Delta> deltas :
          List.of(
              List.of(delta()),
              List.of(delta(), delta()),
              Stream.generate(DeltaRowsIT::delta).limit(100).toList())) {
        assertThatThrownBy(() -> DeltaRows.insert(connection, deltas, null))
            .isInstanceOf(SQLException.class)
            .hasMessage(
                "ds_lock has no 'ds_delta' row; apply the DeltaSync changelog"
                    + " db/changelog/deltasync-master.yaml");
      }
      connection.commit();
      try (Statement statement = connection.createStatement();
          ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM ds_delta")) {
        count.next();
        assertThat(count.getLong(1)).isZero();
      }
    } finally {
      db.close();
    }
  }

  @ParameterizedTest
  @MethodSource("databases")
  void readsACapturedDeltasBasisFromTheNodesPointerInTheInsert(String kind) throws SQLException {
    TestDatabase db = database(kind);
    try (Connection connection = db.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      // before the first pull there is no pointer row: basis 0
      DeltaRows.insertCaptured(connection, List.of(delta()), "node-a", "hub");
      connection.commit(); // a new transaction sees the pointer (MariaDB reads at REPEATABLE READ)
      db.execute(
          "INSERT INTO ds_node_pointer (node_id, peer_id, last_pushed, last_processed, updated_at)"
              + " VALUES ('node-a', 'hub', 7, 42, CURRENT_TIMESTAMP)");
      db.execute(
          "INSERT INTO ds_node_pointer (node_id, peer_id, last_pushed, last_processed, updated_at)"
              + " VALUES ('node-a', 'other', 0, 99, CURRENT_TIMESTAMP)");
      DeltaRows.insertCaptured(connection, List.of(delta()), "node-a", "hub");
      DeltaRows.insertCaptured(connection, List.of(delta(), delta()), "node-a", "hub");
      // no upstream: the basis the delta carries (0 here)
      DeltaRows.insertCaptured(connection, List.of(delta()), "node-a", null);
      connection.commit();

      List<Long> bases = new ArrayList<>();
      try (Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("SELECT basis FROM ds_delta ORDER BY seq")) {
        while (rows.next()) {
          bases.add(rows.getLong(1));
        }
      }
      connection.commit();
      assertThat(bases).containsExactly(0L, 42L, 42L, 42L, 0L);
    } finally {
      db.close();
    }
  }

  @ParameterizedTest
  @MethodSource("databases")
  void writesManyDeltasOfOneCallInOrderWithEveryValueKept(String kind) throws SQLException {
    TestDatabase db = database(kind);
    db.execute(
        "INSERT INTO ds_node_pointer (node_id, peer_id, last_pushed, last_processed, updated_at)"
            + " VALUES ('node-a', 'hub', 7, 42, CURRENT_TIMESTAMP)");
    // more than one PostgreSQL statement's worth (64 rows each), with varied values
    List<Delta> captured = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      captured.add(
          new Delta(
              DeltaIds.next(),
              "node-a",
              0,
              DeltaIds.next(),
              (1000L + i) << 16,
              0,
              "test.NoteMapper.update",
              i % 2 == 0 ? Kind.INSERT : Kind.UPDATE,
              "note",
              RowKey.of(java.util.Map.of("id", "k'" + i)),
              "UPDATE note SET title = ? WHERE id = ?",
              List.of(
                  new Param(ParamType.STRING, "t\"i\u00e9 " + i),
                  new Param(ParamType.LONG, (long) i))));
    }
    List<Delta> received = List.of(delta().withSeq(500), delta().withSeq(501));
    try (Connection connection = db.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      DeltaRows.insertCaptured(connection, captured, "node-a", "hub");
      DeltaRows.insert(connection, received, "node-b");
      connection.commit();

      List<Delta> read = new ArrayList<>();
      List<String> extra = new ArrayList<>();
      try (Statement statement = connection.createStatement();
          ResultSet rows =
              statement.executeQuery(
                  "SELECT "
                      + DeltaRows.COLUMNS
                      + ", received_from, source_seq, stored_at"
                      + " FROM ds_delta ORDER BY seq")) {
        while (rows.next()) {
          read.add(DeltaRows.read(rows));
          extra.add(
              rows.getString("received_from")
                  + " "
                  + rows.getObject("source_seq")
                  + " "
                  + (rows.getTimestamp("stored_at") != null));
        }
      }
      connection.commit();
      assertThat(read).hasSize(152);
      List<Long> seqs = read.stream().map(Delta::seq).toList();
      assertThat(seqs).isSorted().doesNotHaveDuplicates();
      for (int i = 0; i < 150; i++) {
        Delta expected = captured.get(i).withBasis(42).withSeq(seqs.get(i));
        assertThat(read.get(i)).isEqualTo(expected);
        assertThat(extra.get(i)).isEqualTo("null null true");
      }
      assertThat(read.get(150).id()).isEqualTo(received.get(0).id());
      assertThat(extra.subList(150, 152)).containsExactly("node-b 500 true", "node-b 501 true");
    } finally {
      db.close();
    }
  }

  @ParameterizedTest
  @MethodSource("databases")
  void leavesThePointerRowFreeForTheApplier(String kind) throws SQLException {
    TestDatabase db = database(kind);
    db.execute(
        "INSERT INTO ds_node_pointer (node_id, peer_id, last_pushed, last_processed, updated_at)"
            + " VALUES ('node-a', 'hub', 0, 5, CURRENT_TIMESTAMP)");
    try (Connection writer = db.dataSource().getConnection();
        Connection applier = db.dataSource().getConnection()) {
      writer.setAutoCommit(false);
      applier.setAutoCommit(false);
      DeltaRows.insertCaptured(writer, List.of(delta()), "node-a", "hub");

      // an applier locks the pointer first, then ds_lock: had the capture's read of the basis
      // locked the pointer (after ds_lock), the two would deadlock
      try (Statement statement = applier.createStatement();
          ResultSet row =
              statement.executeQuery(
                  "SELECT last_processed FROM ds_node_pointer WHERE node_id = 'node-a'"
                      + " AND peer_id = 'hub' FOR UPDATE NOWAIT")) {
        assertThat(row.next()).isTrue();
      }
      applier.rollback();
      writer.commit();
    } finally {
      db.close();
    }
  }

  /**
   * Which rows have a delta here, of one origin or of any: on H2 through a join with the keys as an
   * array (an {@code IN} list after {@code table_name = ?} read every index entry of the table).
   */
  @ParameterizedTest
  @MethodSource("databases")
  void findsWhichRowsHaveADeltaOfAnOriginOrOfAny(String kind) throws SQLException {
    TestDatabase db = database(kind);
    try (Connection connection = db.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      DeltaRows.insert(connection, List.of(keyed("node-a", 1), keyed("node-a", 2)), null);
      DeltaRows.insert(connection, List.of(keyed("node-b", 3)), "node-b");
      connection.commit();
      List<Delta> asked = List.of(keyed("hub", 1), keyed("hub", 3), keyed("hub", 4));

      assertThat(DeltaRows.rowsWithDeltas(connection, "node-a", asked))
          .containsExactly(DeltaRows.rowOf(keyed("hub", 1)));
      assertThat(DeltaRows.rowsWithDeltas(connection, null, asked))
          .containsExactlyInAnyOrder(
              DeltaRows.rowOf(keyed("hub", 1)), DeltaRows.rowOf(keyed("hub", 3)));
      assertThat(DeltaRows.rowsWithDeltas(connection, null, List.of(delta()))).isEmpty();
      connection.commit();
    } finally {
      db.close();
    }
  }

  @Test
  void postgresqlDrawsASeqOnlyOnceTheInsertHoldsTheLock() throws Exception {
    TestDatabase db = TestDatabases.postgres("delta_rows").migrate();
    ExecutorService writer = Executors.newSingleThreadExecutor();
    Delta first = delta();
    Delta second = delta();
    Delta waiting = delta();
    try (Connection connection = db.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      DeltaRows.insert(connection, List.of(first), null); // takes the lock
      Future<Boolean> other =
          writer.submit(
              () -> {
                try (Connection late = db.dataSource().getConnection()) {
                  late.setAutoCommit(false);
                  return CommittingInsert.insertAndCommit(late, List.of(waiting));
                }
              });
      awaitALockWait(db);
      // had the waiting insert drawn its seq before the lock, this one would come after it
      DeltaRows.insert(connection, List.of(second), null);
      connection.commit();
      assertThat(other.get(10, TimeUnit.SECONDS)).isTrue();

      List<String> bySeq = new ArrayList<>();
      try (Statement statement = connection.createStatement();
          ResultSet rows =
              statement.executeQuery("SELECT seq, delta_id FROM ds_delta ORDER BY seq")) {
        while (rows.next()) {
          bySeq.add(rows.getLong(1) + " " + rows.getString(2));
        }
      }
      connection.commit();
      assertThat(bySeq).containsExactly("1 " + first.id(), "2 " + second.id(), "3 " + waiting.id());
    } finally {
      writer.shutdownNow();
      db.close();
    }
  }

  /** Waits until a session of the database waits for a lock (at most 10 seconds). */
  @Test
  void findsKnownDeltaIdsIdByIdInADsDeltaThatGrewFromEmptyOnPostgres() throws SQLException {
    TestDatabase db = database("postgresql");
    List<String> ids = new ArrayList<>();
    for (int n = 1; n <= 488; n++) {
      ids.add(n % 100 == 0 ? "known-" + n : DeltaIds.next());
    }
    try (Connection connection = db.dataSource().getConnection()) {
      for (int run = 0; run < 10; run++) { // while ds_delta is empty, as on a new hub
        assertThat(DeltaRows.existingIds(connection, ids)).isEmpty();
      }
      GrownDsDelta.fillWithoutAnalyzing(connection, 50_000);
      try (Statement statement = connection.createStatement()) {
        for (int i = 0; i < 2; i++) { // one an operator skipped, one still held
          statement.execute(
              "INSERT INTO ds_dead_letter (delta_id, origin, received_from, source_seq, status,"
                  + " reason, attempts, payload, created_at, updated_at) VALUES ('"
                  + ids.get(i)
                  + "', 'node-a', 'node-a', 1, '"
                  + (i == 0 ? "SKIPPED" : "QUARANTINED")
                  + "', 'refused', 1, '{}', now(), now())");
        }
      }

      connection.setAutoCommit(false);
      var known = DeltaRows.existingIds(connection, ids);
      long[] read = GrownDsDelta.reads(connection);
      connection.rollback();

      assertThat(known) // the skipped one too
          .containsExactlyInAnyOrder(
              ids.get(0), "known-100", "known-200", "known-300", "known-400");
      assertThat(read[0]).as("rows of ds_delta read by a table scan").isZero();
      assertThat(read[1]).as("rows of ds_delta read by an index").isLessThan(ids.size());
    } finally {
      db.close();
    }
  }

  /**
   * PostgreSQL's statistics of a {@code ds_delta} that grew since autovacuum last analyzed it (a
   * node's first minute) made it read the rows asked for through the {@code (table_name, seq)}
   * index, every delta of the table; key by key, a few index entries per key are read.
   */
  @Test
  void findsRowsWithDeltasKeyByKeyInADsDeltaNotYetAnalyzedOnPostgres() throws SQLException {
    TestDatabase db = database("postgresql");
    List<Delta> asked = new ArrayList<>();
    for (int n = 1; n <= 488; n++) {
      asked.add(keyed("hub", n % 100 == 0 ? n : 1_000_000 + n));
    }
    try (Connection connection = db.dataSource().getConnection()) {
      GrownDsDelta.fillWithoutAnalyzing(connection, 50_000);

      connection.setAutoCommit(false);
      var rows = DeltaRows.rowsWithDeltas(connection, null, asked);
      long[] read = GrownDsDelta.reads(connection);
      connection.rollback();

      assertThat(rows).containsExactlyInAnyOrderElementsOf(rowsWithKnownDeltas());
      assertThat(read[0] + read[1]).as("rows of ds_delta read").isLessThan(asked.size());
    } finally {
      db.close();
    }
  }

  /**
   * A hub purges every delta its peers acknowledged and autovacuum then finds {@code ds_delta}
   * empty; a burst of deltas follows before it analyzes the table again. Once pgjdbc prepared the
   * lookups on the server (their fifth run), PostgreSQL kept the plan it made for the empty table
   * and probed every key with a scan of the whole table: a hub's apply fell from about 10,000 to
   * 300 deltas a second until the next analysis. Planned each run, each key is one index probe.
   */
  @Test
  void looksUpKeyByKeyInADsDeltaThatGrewAgainAfterAPurgeEmptiedItOnPostgres() throws SQLException {
    TestDatabase db = database("postgresql");
    List<String> ids = new ArrayList<>();
    List<Delta> asked = new ArrayList<>();
    for (int n = 1; n <= 488; n++) {
      ids.add(n % 100 == 0 ? "known-" + n : DeltaIds.next());
      asked.add(keyed("hub", n % 100 == 0 ? n : 1_000_000 + n));
    }
    try (Connection connection = db.dataSource().getConnection()) {
      GrownDsDelta.fillWithoutAnalyzing(connection, 1_000);
      db.execute("DELETE FROM ds_delta", "VACUUM ds_delta"); // the purge, then autovacuum
      for (int run = 0; run < 10; run++) { // past pgjdbc's and PostgreSQL's thresholds
        assertThat(DeltaRows.existingIds(connection, ids)).isEmpty();
        assertThat(DeltaRows.rowsWithDeltas(connection, null, asked)).isEmpty();
      }
      GrownDsDelta.fillWithoutAnalyzing(connection, 50_000);

      connection.setAutoCommit(false);
      var known = DeltaRows.existingIds(connection, ids);
      var rows = DeltaRows.rowsWithDeltas(connection, null, asked);
      long[] read = GrownDsDelta.reads(connection);
      connection.rollback();

      assertThat(known)
          .containsExactlyInAnyOrder("known-100", "known-200", "known-300", "known-400");
      assertThat(rows).containsExactlyInAnyOrderElementsOf(rowsWithKnownDeltas());
      assertThat(read[0]).as("rows of ds_delta read by a table scan").isZero();
      assertThat(read[1]).as("rows of ds_delta read by an index").isLessThan(2L * ids.size());
    } finally {
      db.close();
    }
  }

  private static void awaitALockWait(TestDatabase db) throws Exception {
    for (int i = 0; i < 500; i++) {
      try (Connection connection = db.dataSource().getConnection();
          Statement statement = connection.createStatement();
          ResultSet row =
              statement.executeQuery(
                  "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                      + " AND datname = current_database()")) {
        row.next();
        if (row.getLong(1) > 0) {
          return;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no session started to wait for the seq lock");
  }

  private static void lockNoWait(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT name FROM ds_lock WHERE name = 'ds_delta' FOR UPDATE NOWAIT")) {
      assertThat(row.next()).isTrue();
    }
  }

  /** An INSERT of the note with the id, captured on the origin, naming its row. */
  /** The rows of notes 100 to 400 by hundreds, of which {@code GrownDsDelta} holds deltas. */
  private static List<String> rowsWithKnownDeltas() {
    return java.util.stream.LongStream.of(100, 200, 300, 400)
        .mapToObj(id -> DeltaRows.rowOf(keyed("hub", id)))
        .toList();
  }

  private static Delta keyed(String origin, long id) {
    return insert(origin, id, RowKey.of(Map.of("id", String.valueOf(id))));
  }

  private static Delta delta() {
    return insert("node-a", 1, null);
  }

  private static Delta insert(String origin, long id, RowKey rowKey) {
    return new Delta(
        DeltaIds.next(),
        origin,
        0,
        DeltaIds.next(),
        1L << 16,
        0,
        "test.NoteMapper.insert",
        Kind.INSERT,
        "note",
        rowKey,
        "INSERT INTO note (id) VALUES (?)",
        List.of(new Param(ParamType.LONG, id)));
  }
}
