package io.deltasync.cluster.autoconfigure;

import io.deltasync.cluster.ClusterSettings;
import io.deltasync.cluster.NodeRole;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How this node joins its Hazelcast cluster, bound from {@code deltasync.cluster.*}. The node id is
 * {@code deltasync.node.id}.
 *
 * <p>Mutable, as Spring binds it; not thread-safe until bound. Times are checked when the {@link
 * ClusterSettings} are made from them.
 */
@ConfigurationProperties("deltasync.cluster")
public class DeltaSyncClusterProperties {

  /** Whether this node joins a cluster; false leaves it with its database's pointers only. */
  private boolean enabled = true;

  /** MEMBER embeds a Hazelcast member in this process; CLIENT connects to an existing cluster. */
  private Mode mode = Mode.MEMBER;

  /** This node's role in the sync topology: HUB or CLIENT. */
  private NodeRole role = NodeRole.CLIENT;

  /** The Hazelcast cluster name; processes join only clusters of the same name. */
  private String clusterName = "deltasync";

  /**
   * Addresses (host or host:port) of the members to join by TCP-IP; in CLIENT mode, the members to
   * connect to.
   */
  private List<String> members = new ArrayList<>(List.of("127.0.0.1"));

  /** The port this member listens on (the next free one when auto-increment is on). */
  private int port = 5701;

  /** Whether the member may take the next ports when {@code port} is taken. */
  private boolean portAutoIncrement = true;

  /** Discover members by multicast on the LAN instead of the TCP-IP member list. */
  private boolean multicast = false;

  /**
   * A full Hazelcast member (or, in CLIENT mode, client) configuration, XML or YAML by extension,
   * as a file path or {@code classpath:} resource; when set, cluster-name, members, port,
   * port-auto-increment and multicast are not used.
   */
  private String configFile;

  /** How often each member reports its node alive in the registry. */
  private Duration heartbeatInterval = ClusterSettings.DEFAULT_HEARTBEAT_INTERVAL;

  /** Silence after which the registry shows a node STALE. */
  private Duration staleAfter = ClusterSettings.DEFAULT_STALE_AFTER;

  /** Silence after which the registry shows a node OFFLINE. */
  private Duration offlineAfter = ClusterSettings.DEFAULT_OFFLINE_AFTER;

  /**
   * How long a member may be silent before the others remove it, so that another member of its node
   * leads (hazelcast.max.no.heartbeat.seconds); whole seconds, at least 2.
   */
  private Duration failoverTimeout = ClusterSettings.DEFAULT_FAILOVER_TIMEOUT;

  /** The address the registry shows for this node; the member's own address when unset. */
  private String address;

  /** The version the registry shows for this node; DeltaSync's jar version when unset. */
  private String version;

  /** How this process takes part in the cluster. */
  public enum Mode {
    /** An embedded Hazelcast member. */
    MEMBER,
    /** A Hazelcast client of an existing cluster. */
    CLIENT
  }

  /** The settings of the node with the given id. */
  public ClusterSettings settings(String nodeId) {
    String reported =
        version != null ? version : ClusterSettings.class.getPackage().getImplementationVersion();
    return new ClusterSettings(
        nodeId,
        role,
        reported,
        address,
        heartbeatInterval,
        staleAfter,
        offlineAfter,
        failoverTimeout);
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Mode getMode() {
    return mode;
  }

  public void setMode(Mode mode) {
    this.mode = mode;
  }

  public NodeRole getRole() {
    return role;
  }

  public void setRole(NodeRole role) {
    this.role = role;
  }

  public String getClusterName() {
    return clusterName;
  }

  public void setClusterName(String clusterName) {
    this.clusterName = clusterName;
  }

  public List<String> getMembers() {
    return members;
  }

  public void setMembers(List<String> members) {
    this.members = members;
  }

  public int getPort() {
    return port;
  }

  public void setPort(int port) {
    this.port = port;
  }

  public boolean isPortAutoIncrement() {
    return portAutoIncrement;
  }

  public void setPortAutoIncrement(boolean portAutoIncrement) {
    this.portAutoIncrement = portAutoIncrement;
  }

  public boolean isMulticast() {
    return multicast;
  }

  public void setMulticast(boolean multicast) {
    this.multicast = multicast;
  }

  public String getConfigFile() {
    return configFile;
  }

  public void setConfigFile(String configFile) {
    this.configFile = configFile == null || configFile.isBlank() ? null : configFile.trim();
  }

  public Duration getHeartbeatInterval() {
    return heartbeatInterval;
  }

  public void setHeartbeatInterval(Duration heartbeatInterval) {
    this.heartbeatInterval = heartbeatInterval;
  }

  public Duration getStaleAfter() {
    return staleAfter;
  }

  public void setStaleAfter(Duration staleAfter) {
    this.staleAfter = staleAfter;
  }

  public Duration getOfflineAfter() {
    return offlineAfter;
  }

  public void setOfflineAfter(Duration offlineAfter) {
    this.offlineAfter = offlineAfter;
  }

  public Duration getFailoverTimeout() {
    return failoverTimeout;
  }

  public void setFailoverTimeout(Duration failoverTimeout) {
    this.failoverTimeout = failoverTimeout;
  }

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
  }

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }
}
