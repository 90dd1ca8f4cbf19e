package io.deltasync.cluster.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import io.deltasync.cluster.ClusterView;
import io.deltasync.cluster.ClusteredDeltaStore;
import io.deltasync.cluster.DeltaSyncCluster;
import io.deltasync.cluster.HazelcastLeadership;
import io.deltasync.cluster.NodeRegistry;
import io.deltasync.cluster.NodeRole;
import io.deltasync.cluster.NodeStatus;
import io.deltasync.cluster.PeerLag;
import io.deltasync.node.Leadership;
import io.deltasync.node.PeerContacts;
import io.deltasync.node.SyncNode;
import io.deltasync.node.autoconfigure.DeltaSyncNodeAutoConfiguration;
import io.deltasync.schema.TestDatabases;
import io.deltasync.store.DeltaStore;
import io.deltasync.store.JdbcDeltaStore;
import io.deltasync.store.NodePointers;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class DeltaSyncClusterAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  DeltaSyncClusterAutoConfiguration.class, DeltaSyncNodeAutoConfiguration.class))
          .withBean(
              DataSource.class, () -> TestDatabases.h2("cluster-autoconfig").migrate().dataSource())
          .withPropertyValues("deltasync.node.id=hub");

  @Test
  void aHubNodeGetsAMemberAndTheClusteredStoreLeadershipRegistryAndView() {
    runner
        .withPropertyValues(
            "deltasync.cluster.role=hub",
            "deltasync.cluster.cluster-name=" + uniqueName(),
            "deltasync.cluster.port=5750",
            "deltasync.cluster.members=127.0.0.1:5750",
            "deltasync.cluster.failover-timeout=3s",
            "deltasync.cluster.version=9.9.9")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              DeltaStore store = context.getBean(DeltaStore.class);
              assertThat(store).isInstanceOf(ClusteredDeltaStore.class);
              assertThat(context.getBean(SyncNode.class).store()).isSameAs(store);
              assertThat(context.getBean(Leadership.class))
                  .isInstanceOf(HazelcastLeadership.class)
                  .satisfies(leadership -> assertThat(leadership.isLeader()).isTrue());
              assertThat(context.getBean(PeerContacts.class)).isInstanceOf(NodeRegistry.class);
              HazelcastInstance hazelcast = context.getBean(HazelcastInstance.class);
              assertThat(hazelcast.getConfig().getProperty("hazelcast.max.no.heartbeat.seconds"))
                  .isEqualTo("3");
              assertThat(hazelcast.getCluster().getLocalMember().getSocketAddress().getPort())
                  .isEqualTo(5750);

              store.markPushed("node-a", 5);
              ClusterView view = context.getBean(ClusterView.class);
              assertThat(view.pointers()).containsExactly(new NodePointers("hub", "node-a", 5, 0));
              assertThat(view.lag()).containsExactly(new PeerLag("hub", "node-a", 0, 0));
              assertThat(view.nodes())
                  .singleElement()
                  .satisfies(
                      state -> {
                        assertThat(state.node().nodeId()).isEqualTo("hub");
                        assertThat(state.node().role()).isEqualTo(NodeRole.HUB);
                        assertThat(state.node().version()).isEqualTo("9.9.9");
                        assertThat(state.status()).isEqualTo(NodeStatus.ONLINE);
                      });
            });
  }

  @Test
  void anApplicationsHazelcastConfigWinsAndStillGetsThePointerMapStore() {
    String name = uniqueName();
    runner
        .withBean(Config.class, () -> testMemberConfig(name, 5752))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              Config config = context.getBean(HazelcastInstance.class).getConfig();
              assertThat(config.getClusterName()).isEqualTo(name);
              assertThat(
                      config
                          .getMapConfig(DeltaSyncCluster.POINTER_MAP)
                          .getMapStoreConfig()
                          .isEnabled())
                  .isTrue();
            });
  }

  @Test
  void aHazelcastConfigFileReplacesTheNetworkKeys() {
    runner
        .withPropertyValues(
            "deltasync.cluster.config-file=classpath:hazelcast-test.yaml",
            "deltasync.cluster.cluster-name=ignored")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              HazelcastInstance hazelcast = context.getBean(HazelcastInstance.class);
              assertThat(hazelcast.getConfig().getClusterName()).isEqualTo("from-the-config-file");
              assertThat(hazelcast.getCluster().getLocalMember().getSocketAddress().getPort())
                  .isEqualTo(5756);
            });
  }

  @Test
  void disabledLeavesTheNodeWithItsDatabasesPointersOnly() {
    runner
        .withPropertyValues("deltasync.cluster.enabled=false")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(HazelcastInstance.class);
              assertThat(context).doesNotHaveBean(ClusterView.class);
              assertThat(context.getBean(DeltaStore.class)).isInstanceOf(JdbcDeltaStore.class);
            });
  }

  @Test
  void badTimesFailStartupWithAMessageThatSaysWhy() {
    runner
        .withPropertyValues(
            "deltasync.cluster.cluster-name=" + uniqueName(),
            "deltasync.cluster.port=5758",
            "deltasync.cluster.stale-after=1m",
            "deltasync.cluster.offline-after=30s")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessage("offlineAfter must be > staleAfter (PT1M), but was PT30S"));
  }

  static Config testMemberConfig(String clusterName, int port) {
    Config config = new Config().setClusterName(clusterName);
    config.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
    config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
    config
        .getNetworkConfig()
        .getJoin()
        .getTcpIpConfig()
        .setEnabled(true)
        .addMember("127.0.0.1:" + port);
    return config;
  }

  static String uniqueName() {
    return "autoconfig-" + UUID.randomUUID();
  }
}
