package io.deltasync.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.awaitility.Awaitility;

/**
 * Real Hazelcast members in the test JVM: TCP-IP on 127.0.0.1 over a port range of the test class's
 * own, no multicast, no auto-detection, and a cluster name no other test run shares.
 */
final class TestCluster implements AutoCloseable {

  private final String clusterName;
  private final int basePort;
  private final int ports;
  private final List<HazelcastInstance> members = new ArrayList<>();
  private final List<DeltaSyncCluster> nodes = new ArrayList<>();

  /**
   * @param name a readable prefix of the cluster name
   * @param basePort the first port of the range; give each test class its own
   * @param ports how many ports the range has (members at once)
   */
  TestCluster(String name, int basePort, int ports) {
    this(basePort, ports, name + "-" + UUID.randomUUID());
  }

  private TestCluster(int basePort, int ports, String clusterName) {
    this.clusterName = clusterName;
    this.basePort = basePort;
    this.ports = ports;
  }

  /** The same cluster as seen from another process: its exact name, port range and size. */
  static TestCluster joining(String clusterName, int basePort, int ports) {
    return new TestCluster(basePort, ports, clusterName);
  }

  /** The cluster name, unique to this test run. */
  String clusterName() {
    return clusterName;
  }

  /** The first port of the range. */
  int basePort() {
    return basePort;
  }

  /** How many ports the range has. */
  int ports() {
    return ports;
  }

  /** A member config for this cluster, without anything DeltaSync adds. */
  Config config() {
    Config config = new Config().setClusterName(clusterName);
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(basePort).setPortAutoIncrement(true).setPortCount(ports);
    network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true);
    for (int port = basePort; port < basePort + ports; port++) {
      join.getTcpIpConfig().addMember("127.0.0.1:" + port);
    }
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.max.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    return config;
  }

  /** Starts a member for a node over its database and joins the node to the cluster. */
  DeltaSyncCluster start(ClusterSettings settings, DataSource dataSource) {
    HazelcastInstance member =
        Hazelcast.newHazelcastInstance(DeltaSyncCluster.prepare(config(), settings, dataSource));
    members.add(member);
    DeltaSyncCluster node = DeltaSyncCluster.start(member, settings, dataSource);
    nodes.add(node);
    return node;
  }

  /** Stops every node started here, then the whole cluster at once, as an operator would. */
  void shutdownAll() {
    nodes.forEach(DeltaSyncCluster::close);
    nodes.clear();
    List<HazelcastInstance> running =
        members.stream().filter(member -> member.getLifecycleService().isRunning()).toList();
    if (!running.isEmpty()) {
      // let partition migrations after the last join finish, or Hazelcast logs the ones it cuts
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> running.get(0).getPartitionService().isClusterSafe());
      running.get(0).getCluster().shutdown();
    }
    members.clear();
  }

  @Override
  public void close() {
    try {
      shutdownAll();
    } finally {
      members.forEach(member -> member.getLifecycleService().terminate());
      members.clear();
    }
  }
}
