package io.deltasync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.deltasync.apply.DeltaApplier;
import io.deltasync.apply.DeltaValidator;
import io.deltasync.delta.NameFilter;
import io.deltasync.node.SyncNode;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.store.NodePointers;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import io.deltasync.testing.Workload;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A hub (PostgreSQL) and two clients (H2) sync through the cluster, then every member stops; new
 * members on the same databases find the pointers and the registry as they were, and the next sync
 * has nothing to send.
 */
class FullRestartIT {

  private static final TestCluster CLUSTER = new TestCluster("full-restart", 5720, 3);

  @AfterAll
  static void stop() {
    CLUSTER.close();
  }

  @Test
  void newMembersOnTheSameDatabasesFindPointersAndRegistryAsBefore() {
    TestDatabase hubDb = NotesSchema.install(TestDatabases.postgres("restart_hub"));
    TestNode a = TestNode.start("node-a", TestDatabases.h2("restart-a"));
    TestNode b = TestNode.start("node-b", TestDatabases.h2("restart-b"));
    new Workload(21L, 1, false).run(a, 150);
    new Workload(22L, 1_000_000, false).run(b, 150);

    Cluster before = Cluster.start(hubDb, a, b);
    before.syncAll();
    before.hub.registry().contacted("node-remote", "https://remote.example:8443");
    List<NodePointers> pointersBefore = before.hub.pointers();
    Map<String, NodeInfo> registryBefore = registry(before.hub);
    CLUSTER.shutdownAll();

    Cluster after = Cluster.start(hubDb, a, b);

    assertThat(pointersBefore).hasSize(6).allMatch(p -> p.lastPushed() > 0);
    for (DeltaSyncCluster member : List.of(after.hub, after.a, after.b)) {
      assertThat(member.pointers()).containsExactlyElementsOf(pointersBefore);
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(registry(after.b).keySet()).isEqualTo(registryBefore.keySet()));
    Map<String, NodeInfo> registryAfter = registry(after.b);
    assertThat(registryAfter.keySet())
        .containsExactlyInAnyOrder("hub", "node-a", "node-b", "node-remote");
    registryBefore.forEach(
        (id, node) -> {
          NodeInfo now = registryAfter.get(id);
          assertThat(now.role()).isEqualTo(node.role());
          assertThat(now.seenVia()).isEqualTo(node.seenVia());
          assertThat(now.firstSeen()).isEqualTo(node.firstSeen());
        });
    assertThat(registryAfter.get("node-remote")).isEqualTo(registryBefore.get("node-remote"));
    assertThat(after.a.store().pointers("hub")).isEqualTo(before.a.store().pointers("hub"));
    assertThat(after.aNode.push(after.hubNode)).isZero();
    assertThat(after.bNode.pull(after.hubNode)).isZero();
    assertThat(after.hubNode.pull(after.aNode)).isZero();
  }

  private static Map<String, NodeInfo> registry(DeltaSyncCluster member) {
    return member.nodes().stream()
        .map(NodeState::node)
        .collect(Collectors.toMap(NodeInfo::nodeId, Function.identity()));
  }

  /** The three nodes as members, each with a SyncNode over its clustered store. */
  private record Cluster(
      DeltaSyncCluster hub,
      DeltaSyncCluster a,
      DeltaSyncCluster b,
      SyncNode hubNode,
      SyncNode aNode,
      SyncNode bNode) {

    static Cluster start(TestDatabase hubDb, TestNode a, TestNode b) {
      DeltaSyncCluster hub =
          CLUSTER.start(ClusterSettings.defaults("hub", NodeRole.HUB), hubDb.dataSource());
      DeltaSyncCluster memberA =
          CLUSTER.start(ClusterSettings.defaults("node-a", NodeRole.CLIENT), a.db().dataSource());
      DeltaSyncCluster memberB =
          CLUSTER.start(ClusterSettings.defaults("node-b", NodeRole.CLIENT), b.db().dataSource());
      return new Cluster(
          hub, memberA, memberB, node(hub, hubDb), node(memberA, a.db()), node(memberB, b.db()));
    }

    private static SyncNode node(DeltaSyncCluster member, TestDatabase db) {
      String id = member.settings().nodeId();
      return new SyncNode(
          member.store(),
          new DeltaApplier(db.dataSource(), id, new DeltaValidator(NameFilter.ALL)),
          100);
    }

    void syncAll() {
      aNode.sync(hubNode);
      bNode.sync(hubNode);
      aNode.sync(hubNode);
      // the hub's own pointers for its clients, and theirs for each other
      hubNode.push(aNode);
      hubNode.push(bNode);
      aNode.push(bNode);
      bNode.push(aNode);
    }
  }
}
