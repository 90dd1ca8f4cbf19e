package io.deltasync.apply;

import static io.deltasync.apply.ApplyFixture.batch;
import static io.deltasync.apply.ApplyFixture.count;
import static io.deltasync.apply.ApplyFixture.delta;
import static io.deltasync.apply.ApplyFixture.storedIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.Kind;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.store.Page;
import io.deltasync.testing.Note;
import io.deltasync.testing.TestNode;
import io.deltasync.testing.Workload;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Node b applies what node a captured through MyBatis: in order, once, and without echo. */
class DeltaApplierTest {

  private TestNode a;
  private TestNode b;

  @BeforeEach
  void twoNodes() {
    a = ApplyFixture.node("node-a");
    b = ApplyFixture.node("node-b");
  }

  @Test
  void appliesTheSendersDeltasInOrderAndMovesThePointer() {
    captureFiveStatementsOnA();
    DeltaBatch batch = batch(a, "node-b", 0);

    ApplyResult result = b.node().receive(batch);

    assertThat(result).isEqualTo(new ApplyResult("node-b", "node-a", batch.batchId(), 5, 0, 0, 5));
    assertThat(b.notes()).hasSize(2).containsExactlyElementsOf(a.notes());
    assertThat(storedIds(b)).containsExactlyElementsOf(storedIds(a));
    assertThat(b.node().store().pointers("node-a").lastProcessed()).isEqualTo(5);
  }

  @Test
  void redeliveredBatchAppliesNothingTheSecondTime() {
    captureFiveStatementsOnA();
    DeltaBatch batch = batch(a, "node-b", 0);
    b.node().receive(batch);
    List<String> notes = b.notes();

    ApplyResult again = b.node().receive(batch);

    assertThat(again).isEqualTo(new ApplyResult("node-b", "node-a", batch.batchId(), 0, 5, 0, 5));
    assertThat(b.notes()).isEqualTo(notes);
    assertThat(storedIds(b)).containsExactlyElementsOf(storedIds(a));
    assertThat(count(b, "SELECT COUNT(DISTINCT delta_id) FROM ds_delta")).isEqualTo(5);
  }

  @Test
  void deltasAlreadyStoredAreRecognisedByIdWhateverTheirSeq() {
    captureFiveStatementsOnA();
    DeltaBatch batch = batch(a, "node-b", 0);
    b.node().receive(batch);
    List<String> notes = b.notes();
    List<Delta> renumbered = new ArrayList<>();
    for (Delta delta : batch.deltas()) {
      renumbered.add(delta.withSeq(delta.seq() + 100));
    }

    ApplyResult result = b.node().receive(new DeltaBatch("node-a", "relayed", renumbered));

    assertThat(result.applied()).isZero();
    assertThat(result.skipped()).isEqualTo(5);
    assertThat(b.notes()).isEqualTo(notes);
    assertThat(storedIds(b)).containsExactlyElementsOf(storedIds(a));
  }

  @Test
  void skipsDeltasOriginatedByTheReceiver() {
    a.inTransaction(notes -> notes.insert(new Note(1, "from a")));
    Delta fromA = batch(a, "node-b", 0).deltas().get(0);
    Delta echo =
        delta(
            "node-b",
            2,
            Kind.INSERT,
            "INSERT INTO note (id, title, done, amount) VALUES (?, ?, ?, ?)",
            new Param(ParamType.LONG, 99L),
            new Param(ParamType.STRING, "b's own, coming back"),
            new Param(ParamType.BOOLEAN, false),
            new Param(ParamType.DECIMAL, BigDecimal.ZERO));

    ApplyResult result = b.node().receive(new DeltaBatch("node-a", "echo", List.of(fromA, echo)));

    assertThat(result.applied()).isEqualTo(1);
    assertThat(result.skipped()).isEqualTo(1);
    assertThat(result.lastProcessed()).isEqualTo(2);
    assertThat(b.notes()).containsExactlyElementsOf(a.notes());
    assertThat(count(b, "SELECT COUNT(*) FROM note WHERE id = 99")).isZero();
    assertThat(storedIds(b)).containsExactly(fromA.id());
  }

  @Test
  void whatTheReceiverAppliesIsNeverCapturedAgain() {
    new Workload(20261122L, 1, true).run(a, 150);

    int applied = b.node().pull(a.node());

    assertThat(applied).isEqualTo(a.deltaCount()).isGreaterThan(100);
    assertThat(b.notes()).isNotEmpty().containsExactlyElementsOf(a.notes());
    assertThat(b.deltaCount()).isEqualTo(a.deltaCount());
    assertThat(
            count(
                b,
                "SELECT COUNT(*) FROM ds_delta WHERE received_from IS NULL"
                    + " OR received_from <> 'node-a'"))
        .isZero();
    Page forA = b.node().store().pendingFor("node-a", 0, 1000);
    assertThat(forA.isEmpty()).isTrue();
    assertThat(forA.scannedTo()).isEqualTo(b.node().store().lastSeq());

    // b's interceptor is live: b's own writes are captured, and are all that a is sent
    b.inTransaction(notes -> notes.insert(new Note(50_000, "written on b")));

    List<Delta> pending = b.node().store().pendingFor("node-a", 0, 1000).deltas();
    assertThat(pending).singleElement().extracting(Delta::origin).isEqualTo("node-b");
  }

  @Test
  void refusesABatchThatSkipsOverOneNotYetProcessed() {
    captureFiveStatementsOnA();
    List<Delta> all = batch(a, "node-b", 0).deltas();
    b.node().receive(new DeltaBatch("node-a", "first", 0, 2, all.subList(0, 2)));
    List<String> notes = b.notes();

    assertThatThrownBy(
            () -> b.node().receive(new DeltaBatch("node-a", "third", 4, 5, all.subList(4, 5))))
        .isInstanceOf(OutOfOrderBatchException.class)
        .hasMessage(
            "batch third from node-a starts after seq 4, but node-b has processed only up to seq"
                + " 2; a batch in between is missing, send again from seq 2")
        .extracting(e -> ((OutOfOrderBatchException) e).lastProcessed())
        .isEqualTo(2L);
    assertThat(b.notes()).isEqualTo(notes);
    assertThat(b.node().store().pointers("node-a").lastProcessed()).isEqualTo(2);

    b.node().receive(new DeltaBatch("node-a", "second", 2, 5, all.subList(2, 5)));

    assertThat(b.notes()).containsExactlyElementsOf(a.notes());
  }

  @Test
  void pushSendsAgainFromWhereTheReceiverIsWhenItLostBatches() {
    captureFiveStatementsOnA();
    a.node().store().markPushed("node-b", 3); // as if b had acknowledged seqs 1-3, then lost them

    int sent = a.node().push(b.node());

    assertThat(sent).isEqualTo(5);
    assertThat(b.notes()).containsExactlyElementsOf(a.notes());
    assertThat(a.node().store().pointers("node-b").lastPushed()).isEqualTo(5);
    assertThat(b.node().store().pointers("node-a").lastProcessed()).isEqualTo(5);
  }

  /** Inserts notes 1 to 3, updates 2 and deletes 3 on node a: seqs 1 to 5. */
  private void captureFiveStatementsOnA() {
    a.inTransaction(
        notes -> {
          notes.insert(new Note(1, "one"));
          notes.insert(new Note(2, "two"));
          notes.insert(new Note(3, "three"));
          Note changed = new Note(2, "two, changed");
          changed.body = "edited";
          notes.update(changed);
          return notes.delete(3);
        });
  }
}
