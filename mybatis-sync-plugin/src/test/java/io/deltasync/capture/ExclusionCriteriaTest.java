package io.deltasync.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.delta.Delta;
import io.deltasync.delta.Kind;
import io.deltasync.delta.NameFilter;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.Note;
import io.deltasync.testing.NoteMapper;
import io.deltasync.testing.TestNode;
import io.deltasync.testing.Ticket;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.junit.jupiter.api.Test;

/** Each exclusion criterion keeps its mutations out while the neighbouring ones are recorded. */
class ExclusionCriteriaTest {

  private static final String MAPPER = NoteMapper.class.getName();

  /** One transaction touching note, ticket and audit_log with every kind of statement. */
  private static final Function<NoteMapper, Integer> MIXED =
      notes -> {
        notes.insert(new Note(1, "one"));
        notes.insert(new Note(2, "local: two"));
        notes.insertTicket(new Ticket("ticket"));
        notes.insertAudit(1, "audited");
        notes.update(new Note(1, "one, edited"));
        notes.markDone("one%", true);
        return notes.delete(2);
      };

  private static List<String> recordedWith(CaptureSettings settings, DeltaFilter... filters) {
    TestNode node = TestNode.start(TestDatabases.h2("criteria"), settings);
    var sessions =
        TestNode.sessionFactory(
            node.db().dataSource(), new DeltaSyncInterceptor(settings, List.of(filters)));
    try (SqlSession session = sessions.openSession()) {
      MIXED.apply(session.getMapper(NoteMapper.class));
      session.commit();
    }
    return node.node().store().pendingFor("elsewhere", 0, 100).deltas().stream()
        .map(d -> d.statementId().substring(MAPPER.length() + 1))
        .toList();
  }

  private static CaptureSettings settings(
      NameFilter tables, NameFilter statements, Set<Kind> excludedKinds) {
    return new CaptureSettings("node-a", null, tables, statements, excludedKinds);
  }

  @Test
  void recordsEveryStatementWithoutCriteria() {
    assertThat(recordedWith(CaptureSettings.recordAll("node-a")))
        .containsExactly(
            "insert", "insert", "insertTicket", "insertAudit", "update", "markDone", "delete");
  }

  @Test
  void leavesOutExcludedTables() {
    assertThat(recordedWith(settings(NameFilter.of(null, "audit_*"), NameFilter.ALL, Set.of())))
        .containsExactly("insert", "insert", "insertTicket", "update", "markDone", "delete");
  }

  @Test
  void recordsOnlyIncludedTables() {
    assertThat(recordedWith(settings(NameFilter.of("NOTE", null), NameFilter.ALL, Set.of())))
        .containsExactly("insert", "insert", "update", "markDone", "delete");
  }

  @Test
  void leavesOutExcludedStatementIds() {
    assertThat(recordedWith(settings(NameFilter.ALL, NameFilter.of(null, "*.mark*"), Set.of())))
        .containsExactly("insert", "insert", "insertTicket", "insertAudit", "update", "delete");
  }

  @Test
  void recordsOnlyIncludedStatementIds() {
    assertThat(
            recordedWith(
                settings(NameFilter.ALL, NameFilter.of(MAPPER + ".insert?*", null), Set.of())))
        .containsExactly("insertTicket", "insertAudit");
  }

  @Test
  void leavesOutExcludedKinds() {
    assertThat(
            recordedWith(
                settings(NameFilter.ALL, NameFilter.ALL, Set.of(Kind.DELETE, Kind.UPDATE))))
        .containsExactly("insert", "insert", "insertTicket", "insertAudit");
  }

  @Test
  void leavesOutWhatADeltaFilterRejects() {
    DeltaFilter localNotes =
        delta ->
            delta.params().stream()
                .noneMatch(p -> p.value() instanceof String s && s.startsWith("local:"));

    assertThat(recordedWith(CaptureSettings.recordAll("node-a"), localNotes))
        .containsExactly("insert", "insertTicket", "insertAudit", "update", "markDone", "delete");
  }

  @Test
  void leavesOutStatementsInsideASuppressedBlock() {
    TestNode node = TestNode.start("node-a", TestDatabases.h2("suppressed"));
    node.inTransaction(
        notes -> {
          notes.insert(new Note(1, "recorded"));
          SyncContext.suppressed(() -> notes.insert(new Note(2, "suppressed")));
          try (SyncContext.Suppression outer = SyncContext.suppress()) {
            try (SyncContext.Suppression inner = SyncContext.suppress()) {
              notes.insert(new Note(3, "nested"));
            }
            notes.insert(new Note(4, "still suppressed"));
          }
          int last = SyncContext.suppressed(() -> notes.insert(new Note(5, "supplier")));
          return last + notes.insert(new Note(6, "recorded again"));
        });

    assertThat(SyncContext.isSuppressed()).isFalse();
    assertThat(ids(node)).containsExactly("1", "6");
  }

  @Test
  void suppressionCountsWhereABatchStatementWasIssuedNotWhereItFlushes() {
    TestNode node = TestNode.start("node-a", TestDatabases.h2("suppressed-batch"));
    node.inTransaction(
        ExecutorType.BATCH,
        notes -> {
          notes.insert(new Note(1, "recorded"));
          SyncContext.suppressed(() -> notes.insert(new Note(2, "suppressed")));
          return notes.insert(new Note(3, "recorded"));
        });
    try (SyncContext.Suppression ignored = SyncContext.suppress();
        SqlSession session = node.sessions().openSession(ExecutorType.BATCH)) {
      session.getMapper(NoteMapper.class).insert(new Note(4, "issued while suppressed"));
      session.close();
    }

    assertThat(ids(node)).containsExactly("1", "3");
  }

  /** Runs the statements DeltaSync refuses (MERGE, a change mapped as a query) on note 1. */
  private static List<String> runRefusable(TestNode node) {
    node.inTransaction(notes -> notes.insert(new Note(1, "one")));
    try (SqlSession session = node.sessions().openSession()) {
      NoteMapper notes = session.getMapper(NoteMapper.class);
      notes.mergeUsing(new Note(1, "merged"));
      notes.updateAsQuery(new Note(1, "merged, then updated"));
      notes.mergeUsing(new Note(2, "merged in"));
      session.commit();
    }
    return node.notes().stream().map(row -> row.substring(0, row.indexOf("|", 2))).toList();
  }

  @Test
  void letsRefusableStatementsRunWhenTheirStatementIdIsExcluded() {
    CaptureSettings settings =
        settings(NameFilter.ALL, NameFilter.of(null, "*.mergeUsing,*.updateAsQuery"), Set.of());
    TestNode node = TestNode.start(TestDatabases.h2("refusable-excluded"), settings);

    assertThat(runRefusable(node)).containsExactly("1|merged, then updated", "2|merged in");
    assertThat(ids(node)).containsExactly("1");
  }

  @Test
  void letsRefusableStatementsRunWhenTheirTableIsExcluded() {
    CaptureSettings settings = settings(NameFilter.of(null, "note"), NameFilter.ALL, Set.of());
    TestNode node = TestNode.start(TestDatabases.h2("refusable-table"), settings);

    assertThat(runRefusable(node)).containsExactly("1|merged, then updated", "2|merged in");
    assertThat(node.deltaCount()).isZero();
  }

  @Test
  void letsRefusableStatementsRunWhenCaptureIsSuppressed() {
    TestNode node = TestNode.start("node-a", TestDatabases.h2("refusable-suppressed"));
    node.inTransaction(notes -> notes.insert(new Note(1, "one")));

    try (SqlSession session = node.sessions().openSession()) {
      NoteMapper notes = session.getMapper(NoteMapper.class);
      SyncContext.suppressed(() -> notes.mergeUsing(new Note(1, "merged")));
      SyncContext.suppressed(() -> notes.updateAsQuery(new Note(1, "merged, then updated")));
      session.commit();
    }

    assertThat(node.notes()).singleElement().asString().startsWith("1|merged, then updated|");
    assertThat(ids(node)).containsExactly("1");
  }

  private static List<String> ids(TestNode node) {
    return node.node().store().pendingFor("elsewhere", 0, 100).deltas().stream()
        .map(Delta::rowKey)
        .map(key -> key.values().get("id"))
        .toList();
  }
}
