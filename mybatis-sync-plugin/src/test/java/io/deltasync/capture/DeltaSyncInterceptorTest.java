package io.deltasync.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.delta.Delta;
import io.deltasync.delta.Kind;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.Note;
import io.deltasync.testing.NoteMapper;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import io.deltasync.testing.Ticket;
import java.util.List;
import java.util.Map;
import org.apache.ibatis.exceptions.PersistenceException;
import org.apache.ibatis.executor.BatchResult;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
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
          .hasMessageContaining("could not record 1 deltas")
          .hasMessageContaining("apply the DeltaSync changelog");
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
}
