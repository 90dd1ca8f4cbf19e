package io.deltasync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.store.JdbcDeltaStore;
import io.deltasync.store.NodePointers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three nodes, each with its own database (the hub on PostgreSQL, two clients on H2), as three
 * Hazelcast members in one JVM: they see each other, and a pointer moved on one is read on the
 * others, while each database keeps only its own node's pointers.
 */
class ThreeMembersIT {

  private static final TestCluster CLUSTER = new TestCluster("three-members", 5710, 3);

  private static TestDatabase hubDb;
  private static TestDatabase aDb;
  private static TestDatabase bDb;
  private static DeltaSyncCluster hub;
  private static DeltaSyncCluster a;
  private static DeltaSyncCluster b;

  @BeforeAll
  static void startThreeMembers() {
    hubDb = TestDatabases.postgres("three_hub").migrate();
    aDb = TestDatabases.h2("three-a").migrate();
    bDb = TestDatabases.h2("three-b").migrate();
    hub = CLUSTER.start(ClusterSettings.defaults("hub", NodeRole.HUB), hubDb.dataSource());
    a = CLUSTER.start(ClusterSettings.defaults("node-a", NodeRole.CLIENT), aDb.dataSource());
    b = CLUSTER.start(ClusterSettings.defaults("node-b", NodeRole.CLIENT), bDb.dataSource());
  }

  @AfterAll
  static void stop() {
    CLUSTER.close();
    hubDb.close();
    aDb.close();
    bDb.close();
  }

  @Test
  void everyMemberSeesTheOthersAndTheirNodes() {
    for (DeltaSyncCluster member : List.of(hub, a, b)) {
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(member.hazelcast().getCluster().getMembers()).hasSize(3));
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(member.nodes())
                      .extracting(
                          state -> state.node().nodeId(),
                          state -> state.node().role(),
                          state -> state.node().member(),
                          NodeState::status)
                      .containsExactly(
                          org.assertj.core.groups.Tuple.tuple(
                              "hub", NodeRole.HUB, true, NodeStatus.ONLINE),
                          org.assertj.core.groups.Tuple.tuple(
                              "node-a", NodeRole.CLIENT, true, NodeStatus.ONLINE),
                          org.assertj.core.groups.Tuple.tuple(
                              "node-b", NodeRole.CLIENT, true, NodeStatus.ONLINE)));
    }
  }

  @Test
  void aPointerMovedOnOneMemberIsReadOnTheOthers() {
    a.store().markPushed("hub", 42);
    a.store().processed("hub", 7);
    hub.store().markPushed("node-a", 13);

    NodePointers aToHub = new NodePointers("node-a", "hub", 42, 7);
    NodePointers hubToA = new NodePointers("hub", "node-a", 13, 0);
    for (DeltaSyncCluster member : List.of(hub, a, b)) {
      assertThat(member.pointers()).contains(aToHub, hubToA);
    }
    assertThat(a.store().pointers("hub")).isEqualTo(aToHub);
    assertThat(new JdbcDeltaStore(aDb.dataSource(), "node-a").pointers("hub").lastPushed())
        .isEqualTo(42);
    assertThat(new JdbcDeltaStore(hubDb.dataSource(), "hub").pointers("node-a").lastPushed())
        .isEqualTo(13);
  }

  @Test
  void pointersOnlyMoveForwardExceptByAReset() {
    b.store().markPushed("hub", 100);
    b.store().markPushed("hub", 60);
    assertThat(hub.pointers()).contains(new NodePointers("node-b", "hub", 100, 0));

    b.store().resetPushed("hub", 20);

    NodePointers reset = new NodePointers("node-b", "hub", 20, 0);
    assertThat(hub.pointers()).contains(reset);
    assertThat(a.pointers()).contains(reset);
    assertThat(new JdbcDeltaStore(bDb.dataSource(), "node-b").pointers("hub")).isEqualTo(reset);
  }

  @Test
  void eachDatabaseKeepsOnlyItsOwnNodesPointers() {
    a.store().markPushed("node-b", 5);
    b.store().markPushed("node-a", 6);
    hub.store().markPushed("node-b", 7);

    assertThat(nodeIdsIn(aDb)).containsOnly("node-a");
    assertThat(nodeIdsIn(bDb)).containsOnly("node-b");
    assertThat(nodeIdsIn(hubDb)).containsOnly("hub");
  }

  private static List<String> nodeIdsIn(TestDatabase db) {
    List<String> ids = new java.util.ArrayList<>();
    try (var connection = db.dataSource().getConnection();
        var statement = connection.createStatement();
        var rows = statement.executeQuery("SELECT DISTINCT node_id FROM ds_node_pointer")) {
      while (rows.next()) {
        ids.add(rows.getString(1));
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    return ids;
  }
}
