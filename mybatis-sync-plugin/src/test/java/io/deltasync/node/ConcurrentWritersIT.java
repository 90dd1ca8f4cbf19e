package io.deltasync.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.TestNode;
import io.deltasync.testing.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Several threads write on node A (PostgreSQL) while node B (H2) keeps pulling: commits land out of
 * seq order, yet B misses nothing and ends equal to A.
 */
class ConcurrentWritersIT {

  @Test
  void pullingWhileOthersCommitMissesNothing() throws Exception {
    TestNode a = TestNode.start("node-a", TestDatabases.postgres("concurrent_a"));
    TestNode b = TestNode.start("node-b", TestDatabases.h2("concurrent-b"));
    ExecutorService pool = Executors.newFixedThreadPool(5);
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger pulls = new AtomicInteger();
    try {
      Future<?> puller =
          pool.submit(
              () -> {
                while (writing.get()) {
                  b.node().pull(a.node());
                  pulls.incrementAndGet();
                }
              });
      List<Future<Workload>> writers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        long seed = w;
        writers.add(
            pool.submit(
                () -> {
                  Workload workload = new Workload(seed, seed * 1_000_000 + 1, false);
                  workload.run(a, 300);
                  // a pull takes batches until it has caught up, and on a busy machine 300
                  // commits can be over before its first batch: go on committing until batches
                  // of it have landed beside the writers
                  while (b.deltaCount() < 50) {
                    workload.run(a, workload.committedStatements() + 20);
                  }
                  return workload;
                }));
      }
      for (Future<Workload> writer : writers) {
        assertThat(writer.get(2, TimeUnit.MINUTES).committedStatements())
            .isGreaterThanOrEqualTo(300);
      }
      writing.set(false);
      puller.get(1, TimeUnit.MINUTES);
    } finally {
      pool.shutdownNow();
    }
    b.node().pull(a.node());

    assertThat(pulls.get()).isPositive();
    assertThat(b.notes()).hasSizeGreaterThan(100).containsExactlyElementsOf(a.notes());
    assertThat(b.deltaCount()).isEqualTo(a.deltaCount());
  }
}
