package io.deltasync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Leadership follows the member list: the oldest member of each node leads, a member that joins
 * later never takes over, and when the leader shuts down the next oldest member of its node leads.
 */
class LeadershipIT {

  private static final TestCluster CLUSTER = new TestCluster("leadership", 5790, 5);

  @AfterAll
  static void stop() {
    CLUSTER.close();
  }

  @Test
  void theOldestMemberOfEachNodeLeadsAndTheNextOldestTakesOver() {
    TestDatabase hubDb = TestDatabases.h2("leadership-hub").migrate();
    ClusterSettings hub = ClusterSettings.defaults("hub", NodeRole.HUB);
    DeltaSyncCluster first = CLUSTER.start(hub, hubDb.dataSource());
    DeltaSyncCluster nodeA =
        CLUSTER.start(
            ClusterSettings.defaults("node-a", NodeRole.CLIENT),
            TestDatabases.h2("leadership-a").migrate().dataSource());
    DeltaSyncCluster second = CLUSTER.start(hub, hubDb.dataSource());
    DeltaSyncCluster third = CLUSTER.start(hub, hubDb.dataSource());
    List<Boolean> secondHeard = new CopyOnWriteArrayList<>();
    second.leadership().onChange(secondHeard::add);

    assertThat(first.leadership().isLeader()).isTrue();
    assertThat(nodeA.leadership().isLeader()).as("the only member of node-a").isTrue();
    assertThat(second.leadership().isLeader()).isFalse();
    assertThat(third.leadership().isLeader()).isFalse();

    first.hazelcast().getLifecycleService().shutdown();

    await().atMost(Duration.ofSeconds(5)).until(() -> second.leadership().isLeader());
    assertThat(secondHeard).containsExactly(false, true);
    assertThat(third.leadership().isLeader()).isFalse();
    assertThat(nodeA.leadership().isLeader()).isTrue();
    assertThat(first.leadership().isLeader()).isFalse();

    DeltaSyncCluster fourth = CLUSTER.start(hub, hubDb.dataSource());
    assertThat(fourth.leadership().isLeader()).as("a member that joins later").isFalse();
    assertThat(second.leadership().isLeader()).isTrue();
  }
}
