package io.deltasync.apply;

import static io.deltasync.apply.ApplyFixture.batch;
import static io.deltasync.apply.ApplyFixture.deadLetters;
import static io.deltasync.apply.ApplyFixture.storedIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.deltasync.apply.ApplyFixture.DeadLetter;
import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.Kind;
import io.deltasync.delta.NameFilter;
import io.deltasync.store.NodePointers;
import io.deltasync.testing.Note;
import io.deltasync.testing.TestNode;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * An apply that fails half-way through a batch keeps nothing of it, records the failing delta, and
 * a retry applies the batch exactly once.
 */
class DeltaApplierCrashTest {

  private static final int FAIL_ON_THIRD_NOTE_INSERT = 3;

  private final AtomicInteger noteInserts = new AtomicInteger();
  private volatile int failOnNoteInsert;

  @Test
  void failureHalfWayKeepsNothingOfTheBatchAndARetryAppliesItOnce() {
    TestNode a = ApplyFixture.node("node-a");
    TestNode b = ApplyFixture.node("node-b");
    DeltaApplier applier =
        new DeltaApplier(
            failing(b.db().dataSource()), "node-b", new DeltaValidator(NameFilter.ALL));
    a.inTransaction(notes -> notes.insert(new Note(1, "one")) + notes.insert(new Note(2, "two")));
    applier.apply(batch(a, "node-b", 0));
    a.inTransaction(
        notes -> {
          notes.update(new Note(1, "one, changed"));
          for (long id = 3; id <= 8; id++) {
            notes.insert(new Note(id, "note " + id));
          }
          return notes.delete(2);
        });
    DeltaBatch batch = batch(a, "node-b", 2);
    Delta failing =
        batch.deltas().stream().filter(d -> d.kind() == Kind.INSERT).skip(2).findFirst().get();
    List<String> notesBefore = b.notes();
    List<String> storedBefore = storedIds(b);
    NodePointers pointersBefore = b.node().store().pointers("node-a");

    DeltaApplyException thrown = applyFailing(applier, batch);

    assertThat(thrown.deltaId()).isEqualTo(failing.id());
    assertThat(thrown)
        .hasMessageContaining("delta " + failing.id() + " (seq " + failing.seq() + " from node-a")
        .hasMessageContaining("failed at node-b (error ")
        .hasMessageNotContaining("injected failure"); // the database's words stay in node-b's log
    assertThat(b.notes()).isEqualTo(notesBefore).isNotEqualTo(a.notes());
    assertThat(storedIds(b)).isEqualTo(storedBefore).hasSize(2);
    assertThat(b.node().store().pointers("node-a")).isEqualTo(pointersBefore);
    assertThat(pointersBefore.lastProcessed()).isEqualTo(2);
    assertThat(deadLetters(b)).containsExactly(failed(failing, 1));

    applyFailing(applier, batch);

    assertThat(deadLetters(b)).containsExactly(failed(failing, 2));
    assertThat(b.notes()).isEqualTo(notesBefore);

    failOnNoteInsert = 0;
    ApplyResult retried = applier.apply(batch);

    assertThat(retried.applied()).isEqualTo(batch.deltas().size()).isEqualTo(8);
    assertThat(retried.lastProcessed()).isEqualTo(a.node().store().lastSeq()).isEqualTo(10);
    assertThat(b.notes()).hasSize(7).containsExactlyElementsOf(a.notes());
    assertThat(storedIds(b)).containsExactlyElementsOf(storedIds(a)).doesNotHaveDuplicates();
    assertThat(b.node().store().pointers("node-a").lastProcessed()).isEqualTo(10);
    assertThat(deadLetters(b)).isEmpty();
  }

  private DeltaApplyException applyFailing(DeltaApplier applier, DeltaBatch batch) {
    noteInserts.set(0);
    failOnNoteInsert = FAIL_ON_THIRD_NOTE_INSERT;
    DeltaApplyException thrown =
        catchThrowableOfType(DeltaApplyException.class, () -> applier.apply(batch));
    assertThat(thrown).as("the injected failure").isNotNull();
    return thrown;
  }

  private static DeadLetter failed(Delta delta, int attempts) {
    return new DeadLetter(
        delta.id(),
        "node-a",
        "node-a",
        delta.seq(),
        "FAILED",
        "java.sql.SQLException: injected failure",
        attempts);
  }

  /** The data source, with {@code INSERT INTO note} statements that fail when told to. */
  private DataSource failing(DataSource real) {
    return proxy(
        DataSource.class,
        (self, method, args) -> {
          Object result = invoke(real, method, args);
          return result instanceof Connection connection ? failing(connection) : result;
        });
  }

  private Connection failing(Connection real) {
    return proxy(
        Connection.class,
        (self, method, args) -> {
          if (method.getName().equals("rollback")) {
            noteInserts.set(0); // the next attempt counts the batch's note inserts again
          }
          Object result = invoke(real, method, args);
          boolean noteInsert =
              method.getName().equals("prepareStatement")
                  && ((String) args[0]).startsWith("INSERT INTO note ");
          return noteInsert ? failing((PreparedStatement) result) : result;
        });
  }

  /**
   * The statement, failing the note insert counted {@code failOnNoteInsert}: executed on its own,
   * or as part of a JDBC batch (the applier's run of inserts), which then fails as a whole.
   */
  private PreparedStatement failing(PreparedStatement real) {
    AtomicBoolean batchFails = new AtomicBoolean();
    return proxy(
        PreparedStatement.class,
        (self, method, args) -> {
          String name = method.getName();
          boolean counted = name.equals("executeUpdate") || name.equals("addBatch");
          boolean fails = counted && noteInserts.incrementAndGet() == failOnNoteInsert;
          if (fails && name.equals("executeUpdate")) {
            throw new SQLException("injected failure");
          }
          batchFails.compareAndSet(false, fails);
          if (name.equals("executeBatch") && batchFails.getAndSet(false)) {
            real.clearBatch();
            throw new BatchUpdateException("injected failure", new int[0]);
          }
          return invoke(real, method, args);
        });
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static <T> T proxy(Class<T> type, InvocationHandler handler) {
    return type.cast(
        Proxy.newProxyInstance(
            DeltaApplierCrashTest.class.getClassLoader(), new Class<?>[] {type}, handler));
  }
}
