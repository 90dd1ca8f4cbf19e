package io.deltasync.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.delta.Delta;
import io.deltasync.delta.Kind;
import io.deltasync.delta.NameFilter;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.node.SyncNode;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.Note;
import io.deltasync.testing.NoteMapper;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import io.deltasync.testing.Ticket;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Update;
import org.apache.ibatis.exceptions.PersistenceException;
import org.apache.ibatis.executor.BatchExecutorException;
import org.apache.ibatis.executor.BatchResult;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Capture on a real H2 database: what is recorded, when, and in which transaction. */
class DeltaSyncInterceptorTest {

  private TestNode node;

  @BeforeEach
  void startNode() {
    node = TestNode.start("node-a", TestDatabases.h2("capture"));
  }

  private List<Delta> recorded() {
    return node.node().store().pendingFor("elsewhere", 0, 10_000).deltas();
  }

  private long notes() {
    return NotesSchema.count(node.db().dataSource(), "SELECT COUNT(*) FROM note");
  }

  private static String describe(Delta delta) {
    return delta.kind()
        + " "
        + delta.table()
        + " "
        + (delta.rowKey() == null ? "many" : delta.rowKey().values());
  }

  private List<String> auditIds() {
    List<String> ids = new ArrayList<>();
    NotesSchema.query(
        node.db().dataSource(),
        "SELECT id FROM audit_log ORDER BY id",
        row -> ids.add("INSERT audit_log {id=" + row.getLong(1) + "}"));
    return ids;
  }

  @Test
  void recordsMutationAndDeltaTogetherOnCommit() {
    node.inTransaction(notes -> notes.insert(new Note(1, "first")));

    assertThat(notes()).isEqualTo(1);
    Delta delta = recorded().get(0);
    assertThat(recorded()).hasSize(1);
    assertThat(delta.origin()).isEqualTo("node-a");
    assertThat(delta.kind()).isEqualTo(Kind.INSERT);
    assertThat(delta.table()).isEqualTo("note");
    assertThat(delta.statementId()).isEqualTo(NoteMapper.class.getName() + ".insert");
    assertThat(delta.rowKey().values()).isEqualTo(Map.of("id", "1"));
    assertThat(delta.sql()).startsWith("INSERT INTO note (id, title");
    assertThat(delta.params().get(0)).isEqualTo(new Param(ParamType.LONG, 1L));
    assertThat(delta.params().get(1)).isEqualTo(new Param(ParamType.STRING, "first"));
  }

  @Test
  void recordsNothingWhenTransactionRollsBack() {
    try (SqlSession session = node.sessions().openSession()) {
      session.getMapper(NoteMapper.class).insert(new Note(1, "gone"));
      session.rollback();
    }
    try (SqlSession session = node.sessions().openSession()) {
      session.getMapper(NoteMapper.class).insert(new Note(2, "closed without commit"));
    }

    assertThat(notes()).isZero();
    assertThat(recorded()).isEmpty();
  }

  @Test
  void recordsNothingForStatementsThatChangeNoRow() {
    node.inTransaction(notes -> notes.insert(new Note(1, "kept")));
    node.inTransaction(notes -> notes.delete(99) + notes.update(new Note(98, "missing")));
    node.inTransaction(ExecutorType.BATCH, notes -> notes.delete(97));

    assertThat(recorded()).extracting(Delta::kind).containsExactly(Kind.INSERT);
  }

  @ParameterizedTest
  @EnumSource(ExecutorType.class)
  void recordsEveryStatementInOrderWithEachExecutor(ExecutorType type) {
    node.inTransaction(
        type,
        notes -> {
          for (int id = 1; id <= 5; id++) {
            notes.insert(new Note(id, "note " + id));
          }
          notes.update(new Note(3, "third, edited"));
          notes.delete(1);
          notes.insert(new Note(6, "after a delete"));
          return notes.markDone("note%", true);
        });

    List<Delta> deltas = recorded();
    assertThat(deltas)
        .extracting(d -> d.kind() + " " + (d.rowKey() == null ? "many" : d.rowKey().values()))
        .containsExactly(
            "INSERT {id=1}",
            "INSERT {id=2}",
            "INSERT {id=3}",
            "INSERT {id=4}",
            "INSERT {id=5}",
            "UPDATE {id=3}",
            "DELETE {id=1}",
            "INSERT {id=6}",
            "UPDATE many");
    assertThat(deltas).extracting(Delta::txId).containsOnly(deltas.get(0).txId());
    assertThat(deltas).extracting(Delta::capturedAt).isSorted();
  }

  @Test
  void batchStatementsFlushedByAQueryAreRecordedOnce() {
    try (SqlSession session = node.sessions().openSession(ExecutorType.BATCH)) {
      NoteMapper notes = session.getMapper(NoteMapper.class);
      notes.insert(new Note(1, "one"));
      notes.insert(new Note(2, "two"));
      assertThat(notes.all()).hasSize(2); // the query flushes the batch
      notes.delete(2);
      session.flushStatements();
      notes.insert(new Note(3, "three"));
      session.commit();
    }

    assertThat(recorded())
        .extracting(d -> d.kind() + " " + d.rowKey().values())
        .containsExactly("INSERT {id=1}", "INSERT {id=2}", "DELETE {id=2}", "INSERT {id=3}");
  }

  @Test
  void givesEachTransactionItsOwnTxId() {
    node.inTransaction(notes -> notes.insert(new Note(1, "a")) + notes.insert(new Note(2, "b")));
    node.inTransaction(notes -> notes.insert(new Note(3, "c")));

    List<Delta> deltas = recorded();
    assertThat(deltas.get(0).txId()).isEqualTo(deltas.get(1).txId());
    assertThat(deltas.get(2).txId()).isNotEqualTo(deltas.get(0).txId());
  }

  @Test
  void recordsRightAwayInAutoCommitMode() {
    try (SqlSession session = node.sessions().openSession(true)) {
      NoteMapper notes = session.getMapper(NoteMapper.class);
      notes.insert(new Note(1, "auto"));
      notes.insert(new Note(2, "auto too"));
      assertThat(recorded()).hasSize(2);
    }
    List<Delta> deltas = recorded();
    assertThat(deltas.get(0).txId()).isNotEqualTo(deltas.get(1).txId());
  }

  @Test
  void recordsABatchFlushedInAutoCommitModeWithItsStatements() {
    try (SqlSession session = node.sessions().openSession(ExecutorType.BATCH, true)) {
      NoteMapper notes = session.getMapper(NoteMapper.class);
      notes.insert(new Note(1, "one"));
      notes.insert(new Note(2, "two"));
      notes.delete(3); // changes no row
      assertThat(recorded()).isEmpty();
      List<BatchResult> results = session.flushStatements();
      assertThat(results).hasSize(2);
      assertThat(results.get(0).getUpdateCounts()).containsExactly(1, 1);
      assertThat(results.get(1).getUpdateCounts()).containsExactly(0);
    }

    assertThat(notes()).isEqualTo(2);
    assertThat(recorded())
        .extracting(d -> d.kind() + " " + d.rowKey().values())
        .containsExactly("INSERT {id=1}", "INSERT {id=2}");
  }

  @Test
  void keepsNoChangeWhoseDeltaCannotBeWrittenInAutoCommitMode() {
    node.db().execute("DELETE FROM ds_lock");

    try (SqlSession session = node.sessions().openSession(true)) {
      NoteMapper notes = session.getMapper(NoteMapper.class);
      assertThatThrownBy(() -> notes.insert(new Note(1, "unrecorded")))
          .isInstanceOf(PersistenceException.class)
          .hasCauseInstanceOf(DeltaCaptureException.class)
          .hasMessageContaining("could not record 1 deltas in ds_delta: ")
          .hasMessageContaining("apply the DeltaSync changelog")
          .hasMessageNotContaining("is the DeltaSync schema installed");
    }

    assertThat(notes()).isZero();
  }

  @Test
  void failsTheCommitOfAChangeWhoseDeltaCannotBeWritten() {
    node.db().execute("DELETE FROM ds_lock");

    try (SqlSession session = node.sessions().openSession()) {
      session.getMapper(NoteMapper.class).insert(new Note(1, "unrecorded"));
      assertThatThrownBy(session::commit)
          .isInstanceOf(PersistenceException.class)
          .hasCauseInstanceOf(DeltaCaptureException.class);
    }

    assertThat(notes()).isZero();
  }

  @Test
  void addsTheGeneratedKeySoTheInsertReplaysWithTheSameKey() {
    Ticket ticket = new Ticket("generated");
    node.inTransaction(notes -> notes.insertTicket(ticket));

    Delta delta = recorded().get(0);
    assertThat(ticket.id).isNotNull();
    assertThat(delta.sql()).isEqualTo("INSERT INTO ticket (title, id) VALUES (?, ?)");
    assertThat(delta.params())
        .containsExactly(
            new Param(ParamType.STRING, "generated"), new Param(ParamType.LONG, ticket.id));
    assertThat(delta.rowKey().values()).isEqualTo(Map.of("id", String.valueOf(ticket.id)));
  }

  @Test
  void recordsAnInsertFromASelectWithoutARowKey() {
    node.inTransaction(notes -> notes.insert(new Note(1, "original")) + notes.copy(1, 2));

    Delta copy = recorded().get(1);
    assertThat(notes()).isEqualTo(2);
    assertThat(copy.kind()).isEqualTo(Kind.INSERT);
    assertThat(copy.table()).isEqualTo("note");
    assertThat(copy.rowKey()).isNull();
    assertThat(copy.params())
        .containsExactly(new Param(ParamType.LONG, 2L), new Param(ParamType.LONG, 1L));
  }

  @Test
  void recordsAStatementItCannotParseWithTableAndRowKeyUnknown() {
    node.inTransaction(notes -> notes.mergeH2(new Note(7, "merged")));

    Delta delta = recorded().get(0);
    assertThat(notes()).isEqualTo(1);
    assertThat(delta.kind()).isEqualTo(Kind.INSERT);
    assertThat(delta.table()).isNull();
    assertThat(delta.rowKey()).isNull();
    assertThat(delta.sql()).startsWith("MERGE INTO note KEY (id)");
  }

  // --- BATCH flushes that fail half-way, and transactions holding an unrecorded change

  @Test
  void realignsTheBatchAfterAFailedFlushTheApplicationCaught() {
    node.inTransaction(notes -> notes.insertAudit(1, "existing"));

    try (SqlSession session = node.sessions().openSession(ExecutorType.BATCH)) {
      NoteMapper notes = session.getMapper(NoteMapper.class);
      notes.insert(new Note(1, "one"));
      notes.insertAudit(1, "duplicate key");
      assertThatThrownBy(session::flushStatements)
          .isInstanceOf(PersistenceException.class)
          .hasCauseInstanceOf(BatchExecutorException.class);
      notes.update(new Note(1, "one, edited"));
      session.commit();
    }

    assertThat(node.notes()).singleElement().asString().startsWith("1|one, edited|");
    assertThat(recorded())
        .extracting(DeltaSyncInterceptorTest::describe)
        .containsExactly("INSERT audit_log {id=1}", "INSERT note {id=1}", "UPDATE note {id=1}");
  }

  @Test
  void recordsTheGroupsThatRanWhenTheCommitFlushFailsAndTheApplicationCommitsAgain() {
    node.inTransaction(notes -> notes.insertAudit(1, "existing"));

    try (SqlSession session = node.sessions().openSession(ExecutorType.BATCH)) {
      NoteMapper notes = session.getMapper(NoteMapper.class);
      notes.insert(new Note(1, "one"));
      notes.insert(new Note(2, "two"));
      notes.insertAudit(1, "duplicate key");
      notes.delete(2); // in a group after the failing one: never runs
      assertThatThrownBy(session::commit)
          .isInstanceOf(PersistenceException.class)
          .hasCauseInstanceOf(BatchExecutorException.class);
      session.commit();
    }

    assertThat(notes()).isEqualTo(2);
    assertThat(recorded())
        .extracting(DeltaSyncInterceptorTest::describe)
        .containsExactly("INSERT audit_log {id=1}", "INSERT note {id=1}", "INSERT note {id=2}");
  }

  @Test
  void recordsTheStatementsOfAFailedGroupThatTheDriverRan() {
    node.inTransaction(notes -> notes.insertAudit(2, "existing"));

    try (SqlSession session = node.sessions().openSession(ExecutorType.BATCH)) {
      NoteMapper notes = session.getMapper(NoteMapper.class);
      for (long id = 1; id <= 4; id++) {
        notes.insertAudit(id, "audit " + id); // one group; id 2 is a duplicate
      }
      assertThatThrownBy(session::flushStatements)
          .isInstanceOf(PersistenceException.class)
          .hasCauseInstanceOf(BatchExecutorException.class);
      session.commit();
    }

    // H2 goes on after a failing statement of a batch: 1, 3 and 4 were inserted
    assertThat(auditIds())
        .containsExactly(
            "INSERT audit_log {id=1}",
            "INSERT audit_log {id=2}",
            "INSERT audit_log {id=3}",
            "INSERT audit_log {id=4}");
    assertThat(recorded())
        .extracting(DeltaSyncInterceptorTest::describe)
        .isEqualTo(
            List.of(
                "INSERT audit_log {id=2}",
                "INSERT audit_log {id=1}",
                "INSERT audit_log {id=3}",
                "INSERT audit_log {id=4}"));
  }

  @Test
  void failsTheCommitAfterAStatementThatRanButCouldNotBeRecorded() {
    node.inTransaction(notes -> notes.insert(new Note(1, "one")));
    OffsetTime time = OffsetTime.of(10, 30, 0, 0, ZoneOffset.ofHours(2));

    try (SqlSession session = node.sessions().openSession()) {
      NoteMapper notes = session.getMapper(NoteMapper.class);
      assertThatThrownBy(() -> notes.setBodyToTime(1, time))
          .isInstanceOf(PersistenceException.class)
          .hasCauseInstanceOf(DeltaCaptureException.class)
          .hasMessageContaining("java.time.OffsetTime");
      notes.insert(new Note(2, "two"));
      for (int attempt = 0; attempt < 2; attempt++) {
        assertThatThrownBy(session::commit)
            .isInstanceOf(PersistenceException.class)
            .hasCauseInstanceOf(DeltaCaptureException.class)
            .hasMessageContaining("an earlier statement of this transaction could not be recorded")
            .hasMessageContaining("java.time.OffsetTime")
            .hasMessageContaining("roll back");
      }
      session.rollback();

      notes.update(new Note(1, "one, edited")); // after the rollback the session records again
      session.commit();
    }

    assertThat(node.notes()).singleElement().asString().startsWith("1|one, edited|null|");
    assertThat(recorded())
        .extracting(DeltaSyncInterceptorTest::describe)
        .containsExactly("INSERT note {id=1}", "UPDATE note {id=1}");
  }

  @Test
  void failsTheCommitAfterABatchStatementThatCouldNotBeRecorded() {
    node.inTransaction(notes -> notes.insert(new Note(1, "one")));

    try (SqlSession session = node.sessions().openSession(ExecutorType.BATCH)) {
      NoteMapper notes = session.getMapper(NoteMapper.class);
      notes.insert(new Note(2, "two"));
      assertThatThrownBy(() -> notes.setBodyToTime(1, OffsetTime.of(1, 2, 3, 0, ZoneOffset.UTC)))
          .isInstanceOf(PersistenceException.class)
          .hasCauseInstanceOf(DeltaCaptureException.class);
      notes.insert(new Note(3, "three"));
      assertThat(session.flushStatements()).hasSize(3); // still aligned with the executor
      assertThatThrownBy(session::commit)
          .isInstanceOf(PersistenceException.class)
          .hasCauseInstanceOf(DeltaCaptureException.class)
          .hasMessageContaining("an earlier statement of this transaction could not be recorded");
    }

    assertThat(node.notes()).singleElement().asString().startsWith("1|one|null|");
    assertThat(recorded())
        .extracting(DeltaSyncInterceptorTest::describe)
        .containsExactly("INSERT note {id=1}");
  }

  @Test
  void failsEveryCommitAfterTheDeltasCouldNotBeWritten() {
    node.db().execute("DELETE FROM ds_lock");

    try (SqlSession session = node.sessions().openSession()) {
      session.getMapper(NoteMapper.class).insert(new Note(1, "unrecorded"));
      assertThatThrownBy(session::commit)
          .hasRootCauseMessage(
              "ds_lock has no 'ds_delta' row; apply the DeltaSync changelog"
                  + " db/changelog/deltasync-master.yaml");
      assertThatThrownBy(session::commit)
          .isInstanceOf(PersistenceException.class)
          .hasMessageContaining("an earlier statement of this transaction could not be recorded")
          .hasMessageContaining("could not record 1 deltas in ds_delta");
    }

    assertThat(notes()).isZero();
  }

  // --- statements whose changes cannot be recorded are refused before they run

  @ParameterizedTest
  @EnumSource(ExecutorType.class)
  void refusesMergeAndReplaceBeforeTheyRun(ExecutorType type) {
    node.inTransaction(notes -> notes.insert(new Note(1, "one")));

    try (SqlSession session = node.sessions().openSession(type)) {
      NoteMapper notes = session.getMapper(NoteMapper.class);
      assertThatThrownBy(() -> notes.mergeUsing(new Note(1, "merged")))
          .isInstanceOf(PersistenceException.class)
          .hasCauseInstanceOf(DeltaCaptureException.class)
          .hasMessageContaining("Statement " + NoteMapper.class.getName() + ".mergeUsing runs")
          .hasMessageContaining("MERGE on table note")
          .hasMessageContaining("exclude it from capture");
      assertThatThrownBy(() -> notes.replace(new Note(2, "replaced")))
          .isInstanceOf(PersistenceException.class)
          .hasCauseInstanceOf(DeltaCaptureException.class)
          .hasMessageContaining(".replace runs REPLACE on table note");
      assertThatThrownBy(() -> notes.twoStatements(1))
          .isInstanceOf(PersistenceException.class)
          .hasCauseInstanceOf(DeltaCaptureException.class)
          .hasMessageContaining(".twoStatements holds 2 SQL statements");
      notes.insert(new Note(3, "three")); // nothing unrecorded ran, so the transaction commits
      session.commit();
    }

    assertThat(node.notes())
        .extracting(row -> row.substring(0, row.indexOf("|", 2) + 1))
        .containsExactly("1|one|", "3|three|");
    assertThat(recorded())
        .extracting(DeltaSyncInterceptorTest::describe)
        .containsExactly("INSERT note {id=1}", "INSERT note {id=3}");
  }

  /** Transaction control written as SQL, which capture could not follow. */
  interface TransactionSqlMapper {
    @Update("SAVEPOINT undo_here")
    int savepoint();

    @Update("/* undo */ ROLLBACK TO SAVEPOINT undo_here")
    int rollbackToSavepoint();

    @Update("COMMIT")
    int commit();
  }

  @Test
  void refusesTransactionControlWrittenAsSqlBeforeItRuns() {
    node.sessions().getConfiguration().addMapper(TransactionSqlMapper.class);

    try (SqlSession session = node.sessions().openSession()) {
      NoteMapper notes = session.getMapper(NoteMapper.class);
      TransactionSqlMapper control = session.getMapper(TransactionSqlMapper.class);
      notes.insert(new Note(1, "one"));
      assertThatThrownBy(control::savepoint)
          .hasCauseInstanceOf(DeltaCaptureException.class)
          .hasMessageContaining(".savepoint runs SAVEPOINT as SQL")
          .hasMessageContaining("rollback(savepoint)");
      assertThatThrownBy(control::rollbackToSavepoint)
          .hasMessageContaining(".rollbackToSavepoint runs ROLLBACK as SQL");
      assertThatThrownBy(control::commit).hasMessageContaining(".commit runs COMMIT as SQL");
      notes.insert(new Note(2, "two"));
      session.commit();
    }

    assertThat(recorded())
        .extracting(DeltaSyncInterceptorTest::describe)
        .containsExactly("INSERT note {id=1}", "INSERT note {id=2}");
    assertThat(notes()).isEqualTo(2);
  }

  @Test
  void failsTheCommitAfterAMergeThatItsStatementsFirstSqlWasNot() {
    node.inTransaction(
        notes -> notes.insert(new Note(1, "one")) + notes.insert(new Note(2, "two")));

    try (SqlSession session = node.sessions().openSession()) {
      NoteMapper notes = session.getMapper(NoteMapper.class);
      notes.markDoneMaybeMerging(1, false); // checked once per statement id: an UPDATE
      assertThatThrownBy(() -> notes.markDoneMaybeMerging(2, true)) // refused after it ran
          .isInstanceOf(PersistenceException.class)
          .hasCauseInstanceOf(DeltaCaptureException.class)
          .hasMessageContaining(".markDoneMaybeMerging runs MERGE on table note");
      assertThatThrownBy(session::commit)
          .isInstanceOf(PersistenceException.class)
          .hasMessageContaining("an earlier statement of this transaction could not be recorded");
    }

    assertThat(node.notes()).allMatch(row -> row.contains("|false|"));
    assertThat(recorded()).hasSize(2);
  }

  @Test
  void refusesChangesMappedAsQueriesBeforeTheyRun() {
    node.inTransaction(notes -> notes.insert(new Note(1, "one")));

    try (SqlSession session = node.sessions().openSession()) {
      NoteMapper notes = session.getMapper(NoteMapper.class);
      for (int attempt = 0; attempt < 2; attempt++) {
        assertThatThrownBy(() -> notes.updateAsQuery(new Note(1, "changed by a select")))
            .isInstanceOf(PersistenceException.class)
            .hasCauseInstanceOf(DeltaCaptureException.class)
            .hasMessageContaining(".updateAsQuery is mapped as a query")
            .hasMessageContaining("runs UPDATE on table note")
            .hasMessageContaining("exclude it from capture");
      }
      assertThatThrownBy(() -> notes.insertAsQuery(new Note(2, "inserted by a select")))
          .isInstanceOf(PersistenceException.class)
          .hasCauseInstanceOf(DeltaCaptureException.class)
          .hasMessageContaining(
              ".insertAsQuery is mapped as a query (<select>, @Select) but runs a data change");
      assertThat(notes.all()).hasSize(1); // plain queries run as before
      session.commit();
    }

    assertThat(node.notes()).singleElement().asString().startsWith("1|one|");
    assertThat(recorded())
        .extracting(DeltaSyncInterceptorTest::describe)
        .containsExactly("INSERT note {id=1}");
  }

  // --- one interceptor serving several databases

  interface ThingMapper {
    @Insert("INSERT INTO thing (id, code) VALUES (#{id}, #{code})")
    int insert(
        @org.apache.ibatis.annotations.Param("id") int id,
        @org.apache.ibatis.annotations.Param("code") String code);
  }

  private static List<Object> rowKeys(TestDatabase db) {
    return new SyncNode("any", db.dataSource(), NameFilter.ALL)
        .store().pendingFor("elsewhere", 0, 10).deltas().stream()
            .<Object>map(d -> d.rowKey().values())
            .toList();
  }

  @Test
  void readsPrimaryKeysPerDatabaseWhenOneInterceptorServesSeveral() {
    DeltaSyncInterceptor interceptor =
        new DeltaSyncInterceptor(CaptureSettings.recordAll("node-a"), List.of());
    TestDatabase byId = NotesSchema.install(TestDatabases.h2("keyed-by-id"));
    TestDatabase byCode = NotesSchema.install(TestDatabases.h2("keyed-by-code"));
    byId.execute("CREATE TABLE thing (id INT PRIMARY KEY, code VARCHAR(20))");
    byCode.execute("CREATE TABLE thing (id INT, code VARCHAR(20) PRIMARY KEY)");

    for (TestDatabase db : List.of(byId, byCode)) {
      SqlSessionFactory sessions = TestNode.sessionFactory(db.dataSource(), interceptor);
      sessions.getConfiguration().addMapper(ThingMapper.class);
      try (SqlSession session = sessions.openSession()) {
        session.getMapper(ThingMapper.class).insert(7, "seven");
        session.commit();
      }
    }

    assertThat(rowKeys(byId)).containsExactly(Map.of("id", "7"));
    assertThat(rowKeys(byCode)).containsExactly(Map.of("code", "seven"));
  }
}
