package io.deltasync.capture.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.schema.TestDatabase;
import io.deltasync.store.DeltaSignal;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSessionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mybatis.spring.SqlSessionTemplate;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Capture inside Spring-managed transactions, where mybatis-spring commits the SqlSession. */
class DeltaSyncCaptureAutoConfigurationTransactionTest {

  private final TestDatabase database = NoteApp.database("capture_tx");
  private final ApplicationContextRunner runner =
      NoteApp.runner(database).withUserConfiguration(NoteApp.ScanNoteMapper.class);

  @AfterEach
  void closePool() {
    database.close();
  }

  @Test
  void keepsTheRowAndItsDeltaWhenTheTransactionCommits() {
    runner.run(
        context -> {
          NoteMapper notes = context.getBean(NoteMapper.class);
          context
              .getBean(TransactionTemplate.class)
              .executeWithoutResult(
                  status -> {
                    notes.insert(1, "committed");
                    // not yet: deltas are written when the transaction commits
                    assertThat(NoteApp.deltas(database)).isEmpty();
                  });
        });
    assertThat(NoteApp.notes(database)).hasSize(1);
    assertThat(NoteApp.deltas(database)).containsExactly("INSERT note insert 1");
  }

  @Test
  void wakesTheOutboxOnlyOnceTheTransactionHasCommitted() {
    DeltaSignal signal = DeltaSignal.of("node-a");
    long before = signal.generation();
    AtomicLong atCompletion = new AtomicLong(-1);
    runner.run(
        context -> {
          NoteMapper notes = context.getBean(NoteMapper.class);
          TransactionTemplate transaction = context.getBean(TransactionTemplate.class);
          transaction.executeWithoutResult(
              status -> {
                notes.insert(1, "committed");
                TransactionSynchronizationManager.registerSynchronization(
                    new TransactionSynchronization() {
                      @Override
                      public void beforeCompletion() {
                        // after mybatis-spring wrote the deltas, before the database commits
                        atCompletion.set(signal.generation());
                      }
                    });
              });
          assertThat(atCompletion.get()).isEqualTo(before);
          assertThat(signal.generation()).isGreaterThan(before);

          long afterCommit = signal.generation();
          transaction.executeWithoutResult(
              status -> {
                notes.insert(2, "rolled back");
                status.setRollbackOnly();
              });
          assertThat(signal.generation()).isEqualTo(afterCommit);
        });
  }

  @Test
  void recordsNothingWhenTheTransactionRollsBack() {
    runner.run(
        context -> {
          NoteMapper notes = context.getBean(NoteMapper.class);
          TransactionTemplate transaction = context.getBean(TransactionTemplate.class);
          transaction.executeWithoutResult(
              status -> {
                notes.insert(1, "rolled back");
                status.setRollbackOnly();
              });
          assertThatThrownBy(
                  () ->
                      transaction.executeWithoutResult(
                          status -> {
                            notes.insert(2, "failed");
                            throw new IllegalStateException("the service failed");
                          }))
              .hasMessage("the service failed");
        });
    assertThat(NoteApp.notes(database)).isEmpty();
    assertThat(NoteApp.deltas(database)).isEmpty();
  }

  @Test
  void recordsEveryStatementOfATransactionInOrder() {
    runner.run(
        context -> {
          NoteMapper notes = context.getBean(NoteMapper.class);
          context
              .getBean(TransactionTemplate.class)
              .executeWithoutResult(
                  status -> {
                    notes.insert(1, "one");
                    notes.insert(2, "two");
                    notes.rename(1, "uno");
                    notes.delete(2);
                  });
        });
    assertThat(NoteApp.deltas(database))
        .containsExactly(
            "INSERT note insert 1",
            "INSERT note insert 2",
            "UPDATE note rename 1",
            "DELETE note delete 2");
  }

  @Test
  void recordsEveryStatementOfABatchExecutorInOrder() {
    runner.run(
        context -> {
          SqlSessionTemplate batch =
              new SqlSessionTemplate(context.getBean(SqlSessionFactory.class), ExecutorType.BATCH);
          NoteMapper notes = batch.getMapper(NoteMapper.class);
          context
              .getBean(TransactionTemplate.class)
              .executeWithoutResult(
                  status -> {
                    notes.insert(1, "one");
                    notes.insert(2, "two");
                    notes.rename(1, "uno");
                    notes.insert(3, "three");
                    notes.delete(2);
                    notes.audit(1, "audit");
                  });
        });
    assertThat(NoteApp.notes(database)).hasSize(2);
    assertThat(NoteApp.deltas(database))
        .containsExactly(
            "INSERT note insert 1",
            "INSERT note insert 2",
            "UPDATE note rename 1",
            "INSERT note insert 3",
            "DELETE note delete 2",
            "INSERT audit_note audit 1");
  }

  @Test
  void recordsEachStatementAtOnceOutsideATransaction() {
    runner.run(
        context -> {
          NoteMapper notes = context.getBean(NoteMapper.class);
          notes.insert(1, "auto-committed");
          assertThat(NoteApp.deltas(database)).containsExactly("INSERT note insert 1");
          notes.rename(1, "again");
          assertThat(NoteApp.deltas(database))
              .containsExactly("INSERT note insert 1", "UPDATE note rename 1");
        });
  }
}
