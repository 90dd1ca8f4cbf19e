package io.deltasync.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.NameFilter;
import io.deltasync.testing.Note;
import io.deltasync.testing.TestNode;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Batches from one sender applied at the same time: one wins, nothing applies twice. */
class DeltaApplierConcurrencyTest {

  @Test
  void simultaneousFirstBatchesFromANewSenderApplyOnce() throws Exception {
    TestNode a = ApplyFixture.node("node-a");
    TestNode b = ApplyFixture.node("node-b");
    a.inTransaction(
        notes -> {
          for (int id = 1; id <= 20; id++) {
            notes.insert(new Note(id, "note " + id));
          }
          return 0;
        });
    DeltaBatch batch = ApplyFixture.batch(a, "node-b", 0);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Callable<ApplyResult>> appliers =
          List.of(
              applyAfter(start, b, batch),
              applyAfter(start, b, batch),
              applyAfter(start, b, batch),
              applyAfter(start, b, batch));
      List<Future<ApplyResult>> results = appliers.stream().map(pool::submit).toList();
      start.countDown();
      int applied = 0;
      for (Future<ApplyResult> result : results) {
        applied += result.get(30, TimeUnit.SECONDS).applied();
      }

      assertThat(applied).isEqualTo(20);
      assertThat(b.notes()).containsExactlyElementsOf(a.notes());
      assertThat(ApplyFixture.storedIds(b)).hasSize(20).doesNotHaveDuplicates();
      assertThat(b.node().store().pointers("node-a").lastProcessed())
          .isEqualTo(a.node().store().lastSeq());
    } finally {
      pool.shutdownNow();
    }
  }

  private static Callable<ApplyResult> applyAfter(
      CountDownLatch start, TestNode receiver, DeltaBatch batch) {
    DeltaApplier applier =
        new DeltaApplier(receiver.db().dataSource(), "node-b", new DeltaValidator(NameFilter.ALL));
    return () -> {
      start.await();
      return applier.apply(batch);
    };
  }
}
