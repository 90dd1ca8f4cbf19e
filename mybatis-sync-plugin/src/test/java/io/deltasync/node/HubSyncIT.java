package io.deltasync.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.TestNode;
import io.deltasync.testing.Workload;
import org.junit.jupiter.api.Test;

/**
 * Two clients that both write, on H2 and MariaDB, sync through a hub on PostgreSQL with the seeds'
 * push and pull; all three end with the same rows.
 */
class HubSyncIT {

  @Test
  void clientsThatBothWriteConvergeThroughAHub() {
    TestNode a = TestNode.start("node-a", TestDatabases.h2("hub-client-a"));
    TestNode hub = TestNode.start("hub", TestDatabases.postgres("hub"));
    TestNode b = TestNode.start("node-b", TestDatabases.mariadb("hub_client_b"));
    Workload writesOnA = new Workload(1L, 1, false);
    Workload writesOnB = new Workload(2L, 1_000_000, false);

    for (int round = 1; round <= 4; round++) {
      writesOnA.run(a, round * 150);
      writesOnB.run(b, round * 150);
      a.node().sync(hub.node());
      b.node().sync(hub.node());
    }
    a.node().pull(hub.node());

    assertThat(a.notes()).hasSizeGreaterThan(100);
    assertThat(hub.notes()).containsExactlyElementsOf(a.notes());
    assertThat(b.notes()).containsExactlyElementsOf(a.notes());
    assertThat(a.notes()).anyMatch(row -> row.startsWith("1000"));
    assertThat(hub.deltaCount()).isEqualTo(countOwn(a) + countOwn(b));
    assertThat(b.node().store().pointers("hub").lastProcessed())
        .isEqualTo(hub.node().store().lastSeq());
    assertThat(a.node().store().pointers("hub").lastProcessed())
        .isEqualTo(hub.node().store().lastSeq());
    assertThat(a.node().push(hub.node())).isZero();
    assertThat(b.node().pull(hub.node())).isZero();
  }

  private static long countOwn(TestNode node) {
    return io.deltasync.testing.NotesSchema.count(
        node.db().dataSource(), "SELECT COUNT(*) FROM ds_delta WHERE received_from IS NULL");
  }
}
