package io.deltasync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import io.deltasync.cluster.autoconfigure.DeltaSyncClusterAutoConfiguration;
import io.deltasync.node.Leadership;
import io.deltasync.node.autoconfigure.DeltaSyncNodeAutoConfiguration;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.store.DeltaStore;
import io.deltasync.store.JdbcDeltaStore;
import io.deltasync.store.NodePointers;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A node that connects to the cluster as a Hazelcast client, not a member: its pointers and its
 * registry entry reach the members, its database keeps its pointers, and it leads its own node.
 */
class ClientModeIT {

  private static final TestCluster CLUSTER = new TestCluster("client-mode", 5760, 1);
  private static DeltaSyncCluster hub;

  @BeforeAll
  static void startHub() {
    hub =
        CLUSTER.start(
            ClusterSettings.defaults("hub", NodeRole.HUB),
            TestDatabases.h2("client-mode-hub").migrate().dataSource());
  }

  @AfterAll
  static void stop() {
    CLUSTER.close();
  }

  @Test
  void aClientNodesPointersAndHeartbeatsReachTheMembers() {
    TestDatabase db = TestDatabases.h2("client-mode-c").migrate();
    ClientConfig config =
        new ClientConfig().setClusterName(hub.hazelcast().getConfig().getClusterName());
    config.getNetworkConfig().addAddress("127.0.0.1:5760");
    HazelcastInstance client = HazelcastClient.newHazelcastClient(DeltaSyncCluster.prepare(config));
    try (DeltaSyncCluster nodeC =
        DeltaSyncCluster.start(
            client, ClusterSettings.defaults("node-c", NodeRole.CLIENT), db.dataSource())) {
      nodeC.store().markPushed("hub", 17);

      assertThat(hub.pointers()).contains(new NodePointers("node-c", "hub", 17, 0));
      assertThat(new JdbcDeltaStore(db.dataSource(), "node-c").pointers("hub").lastPushed())
          .isEqualTo(17);
      assertThat(hub.registry().node("node-c"))
          .satisfies(
              state -> {
                assertThat(state.status()).isEqualTo(NodeStatus.ONLINE);
                assertThat(state.node().role()).isEqualTo(NodeRole.CLIENT);
              });
      assertThat(nodeC.leadership()).isSameAs(Leadership.ALWAYS);
    } finally {
      client.shutdown();
    }
  }

  @Test
  void theAutoConfigurationConnectsAsAClientInClientMode() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                DeltaSyncClusterAutoConfiguration.class, DeltaSyncNodeAutoConfiguration.class))
        .withBean(DataSource.class, () -> TestDatabases.h2("client-mode-d").migrate().dataSource())
        .withPropertyValues(
            "deltasync.node.id=node-d",
            "deltasync.cluster.mode=client",
            "deltasync.cluster.cluster-name=" + hub.hazelcast().getConfig().getClusterName(),
            "deltasync.cluster.members=127.0.0.1:5760")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(hub.hazelcast().getCluster().getMembers()).hasSize(1);
              context.getBean(DeltaStore.class).markPushed("hub", 3);
              assertThat(hub.pointers()).contains(new NodePointers("node-d", "hub", 3, 0));
              await()
                  .atMost(Duration.ofSeconds(5))
                  .until(() -> hub.registry().node("node-d") != null);
            });
  }
}
