package io.deltasync.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.schema.TestDatabases;
import io.deltasync.store.DeltaSignal;
import io.deltasync.testing.Note;
import io.deltasync.testing.NoteMapper;
import io.deltasync.testing.TestNode;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.junit.jupiter.api.Test;

/** Capture raises the node's DeltaSignal after a transaction that wrote deltas commits, only. */
class CommitWakeTest {

  private final TestNode node =
      TestNode.start("wake-capture", TestDatabases.h2("wake_capture_" + System.nanoTime()));
  private final DeltaSignal signal = DeltaSignal.of("wake-capture");

  @Test
  void raisesAfterTheCommitNotBefore() {
    long before = signal.generation();
    try (SqlSession session = node.sessions().openSession()) {
      session.getMapper(NoteMapper.class).insert(new Note(1, "one"));
      session.flushStatements();
      assertThat(signal.generation()).isEqualTo(before);
      session.commit();
    }
    assertThat(signal.generation()).isGreaterThan(before);
  }

  @Test
  void raisesForEveryExecutorType() {
    long id = 10;
    for (ExecutorType type : ExecutorType.values()) {
      long before = signal.generation();
      long next = id++;
      node.inTransaction(type, notes -> notes.insert(new Note(next, "by " + type)));
      assertThat(signal.generation()).as("%s", type).isGreaterThan(before);
    }
  }

  @Test
  void raisesAfterEachAutoCommittedStatement() {
    long before = signal.generation();
    try (SqlSession session = node.sessions().openSession(true)) {
      session.getMapper(NoteMapper.class).insert(new Note(20, "auto-committed"));
      assertThat(signal.generation()).isGreaterThan(before);
    }
  }

  @Test
  void staysQuietWhenTheTransactionRollsBackOrWritesNothing() {
    long before = signal.generation();
    try (SqlSession session = node.sessions().openSession()) {
      session.getMapper(NoteMapper.class).insert(new Note(30, "rolled back"));
      session.rollback();
    }
    node.inTransaction(notes -> notes.all());
    assertThat(signal.generation()).isEqualTo(before);
  }
}
