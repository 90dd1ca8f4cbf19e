package io.deltasync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.NotesSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With a heartbeat every 200 ms, STALE after 1 s and OFFLINE after 2 s of silence: a member that
 * dies, and a remote node that stops syncing, turn STALE then OFFLINE on time, and ONLINE again
 * when they are back.
 */
class NodeLivenessIT {

  private static final Duration HEARTBEAT = Duration.ofMillis(200);
  private static final Duration STALE_AFTER = Duration.ofSeconds(1);
  private static final Duration OFFLINE_AFTER = Duration.ofSeconds(2);
  private static final Duration SLACK = Duration.ofSeconds(1);
  private static final TestCluster CLUSTER = new TestCluster("liveness", 5740, 3);

  private static TestDatabase hubDb;
  private static TestDatabase aDb;
  private static DeltaSyncCluster hub;

  @BeforeAll
  static void startHub() {
    hubDb = TestDatabases.h2("liveness-hub").migrate();
    aDb = TestDatabases.h2("liveness-a").migrate();
    hub = CLUSTER.start(settings("hub", NodeRole.HUB), hubDb.dataSource());
  }

  @AfterAll
  static void stop() {
    CLUSTER.close();
  }

  @Test
  void aMemberThatDiesTurnsStaleThenOfflineAndOnlineWhenItReturns() {
    DeltaSyncCluster a = CLUSTER.start(settings("node-a", NodeRole.CLIENT), aDb.dataSource());
    await().atMost(Duration.ofSeconds(5)).until(() -> statusOf("node-a") == NodeStatus.ONLINE);
    NodeInfo before = hub.registry().node("node-a").node();
    // kill in a steady state: Hazelcast logs partition migrations that a kill cuts off as errors
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> hub.hazelcast().getPartitionService().isClusterSafe());

    Watch watch = new Watch("node-a");
    long diedAt = System.nanoTime();
    a.hazelcast().getLifecycleService().terminate();
    List<Change> changes = watch.untilOffline();

    assertChangedOnTime(changes, "node-a", diedAt);
    CLUSTER.start(settings("node-a", NodeRole.CLIENT), aDb.dataSource());
    await()
        .atMost(HEARTBEAT.plus(SLACK))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> statusOf("node-a") == NodeStatus.ONLINE);
    assertThat(hub.registry().node("node-a").node().firstSeen()).isEqualTo(before.firstSeen());
  }

  @Test
  void aRemoteNodeThatStopsSyncingTurnsStaleThenOfflineAndOnlineWhenItSyncsAgain() {
    hub.registry().contacted("node-remote", "https://remote.example:8443");
    assertThat(hub.registry().node("node-remote"))
        .satisfies(
            state -> {
              assertThat(state.status()).isEqualTo(NodeStatus.ONLINE);
              assertThat(state.node().member()).isFalse();
              assertThat(state.node().seenVia()).isEqualTo("hub");
              assertThat(state.node().address()).isEqualTo("https://remote.example:8443");
            });
    Watch watch = new Watch("node-remote");
    long lastContact = System.nanoTime();

    List<Change> changes = watch.untilOffline();

    assertChangedOnTime(changes, "node-remote", lastContact);
    hub.registry().contacted("node-remote", "https://remote.example:8443");
    assertThat(statusOf("node-remote")).isEqualTo(NodeStatus.ONLINE);
    assertThat(
            NotesSchema.count(
                hubDb.dataSource(),
                "SELECT COUNT(*) FROM ds_node WHERE node_id = 'node-remote' AND seen_via = 'hub'"))
        .isOne();
  }

  /**
   * The status turned STALE, then OFFLINE: not before the thresholds had passed since the node's
   * last heartbeat, and not much later than the thresholds after it went silent.
   */
  private static void assertChangedOnTime(List<Change> changes, String nodeId, long silentSince) {
    assertThat(changes)
        .extracting(Change::status)
        .containsExactly(NodeStatus.STALE, NodeStatus.OFFLINE);
    Instant lastHeartbeat = hub.registry().node(nodeId).node().lastHeartbeat();
    assertThat(Duration.between(lastHeartbeat, changes.get(0).wallClock()))
        .isGreaterThan(STALE_AFTER);
    assertThat(Duration.between(lastHeartbeat, changes.get(1).wallClock()))
        .isGreaterThan(OFFLINE_AFTER);
    assertThat(Duration.ofNanos(changes.get(0).at() - silentSince))
        .isLessThanOrEqualTo(STALE_AFTER.plus(SLACK));
    assertThat(Duration.ofNanos(changes.get(1).at() - silentSince))
        .isLessThanOrEqualTo(OFFLINE_AFTER.plus(SLACK));
  }

  /**
   * Watches a node's status on its own thread from the moment it is made, so that no change is
   * missed however long the test takes to silence the node, recording each change and when.
   */
  private static final class Watch {
    private final List<Change> changes = new CopyOnWriteArrayList<>();
    private final Thread thread;

    Watch(String nodeId) {
      NodeStatus first = statusOf(nodeId);
      assertThat(first).isEqualTo(NodeStatus.ONLINE);
      thread =
          new Thread(
              () -> {
                NodeStatus current = first;
                long until = System.nanoTime() + OFFLINE_AFTER.multipliedBy(3).toNanos();
                while (current != NodeStatus.OFFLINE && System.nanoTime() < until) {
                  NodeStatus now = statusOf(nodeId);
                  if (now != current) {
                    changes.add(new Change(now, System.nanoTime(), Instant.now()));
                    current = now;
                  }
                  sleep(10);
                }
              },
              "watch-" + nodeId);
      thread.start();
    }

    List<Change> untilOffline() {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return List.copyOf(changes);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static NodeStatus statusOf(String nodeId) {
    NodeState state = hub.registry().node(nodeId);
    return state == null ? null : state.status();
  }

  private static ClusterSettings settings(String nodeId, NodeRole role) {
    return ClusterSettings.defaults(nodeId, role)
        .withLiveness(HEARTBEAT, STALE_AFTER, OFFLINE_AFTER)
        .withFailoverTimeout(Duration.ofSeconds(2));
  }

  private record Change(NodeStatus status, long at, Instant wallClock) {}
}
