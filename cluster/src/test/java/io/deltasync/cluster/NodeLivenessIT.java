package io.deltasync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.NotesSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
  private static final Duration SLACK = Duration.ofMillis(600);
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

    long diedAt = System.nanoTime();
    a.hazelcast().getLifecycleService().terminate();
    List<Change> changes = watch("node-a", NodeStatus.OFFLINE);

    assertChangedOnTime(changes, diedAt);
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
    long lastContact = System.nanoTime();

    List<Change> changes = watch("node-remote", NodeStatus.OFFLINE);

    assertChangedOnTime(changes, lastContact);
    hub.registry().contacted("node-remote", "https://remote.example:8443");
    assertThat(statusOf("node-remote")).isEqualTo(NodeStatus.ONLINE);
    assertThat(
            NotesSchema.count(
                hubDb.dataSource(),
                "SELECT COUNT(*) FROM ds_node WHERE node_id = 'node-remote' AND seen_via = 'hub'"))
        .isOne();
  }

  /** The status changes to STALE and OFFLINE happen after the thresholds, not much later. */
  private static void assertChangedOnTime(List<Change> changes, long silentSince) {
    assertThat(changes)
        .extracting(Change::status)
        .containsExactly(NodeStatus.STALE, NodeStatus.OFFLINE);
    Duration stale = Duration.ofNanos(changes.get(0).at() - silentSince);
    Duration offline = Duration.ofNanos(changes.get(1).at() - silentSince);
    // the last heartbeat may have been up to one interval before the silence began
    assertThat(stale).isBetween(STALE_AFTER.minus(HEARTBEAT), STALE_AFTER.plus(SLACK));
    assertThat(offline).isBetween(OFFLINE_AFTER.minus(HEARTBEAT), OFFLINE_AFTER.plus(SLACK));
  }

  /** Polls a node's status until it reaches {@code last}, recording each change. */
  private static List<Change> watch(String nodeId, NodeStatus last) {
    List<Change> changes = new ArrayList<>();
    NodeStatus[] current = {statusOf(nodeId)};
    await()
        .atMost(OFFLINE_AFTER.plus(SLACK).plus(SLACK))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              NodeStatus now = statusOf(nodeId);
              if (now != current[0]) {
                changes.add(new Change(now, System.nanoTime()));
                current[0] = now;
              }
              return now == last;
            });
    return changes;
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

  private record Change(NodeStatus status, long at) {}
}
