package io.deltasync.cluster;

import io.deltasync.delta.Delta;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Who this process is in the cluster and how the cluster watches its nodes.
 *
 * @param nodeId this node's id; every member of a hub carries the hub's id
 * @param role hub or client
 * @param version the DeltaSync version to report, or null
 * @param address the address to report for this node, or null to report the member's own
 * @param heartbeatInterval how often each member reports that its node is alive
 * @param staleAfter silence after which a node is STALE
 * @param offlineAfter silence after which a node is OFFLINE
 * @param failoverTimeout how long a member may be silent before the others remove it (and another
 *     member of its node takes over leadership); whole seconds, at least 2
 */
public record ClusterSettings(
    String nodeId,
    NodeRole role,
    String version,
    String address,
    Duration heartbeatInterval,
    Duration staleAfter,
    Duration offlineAfter,
    Duration failoverTimeout) {

  /** Default heartbeat interval: 2 seconds. */
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(2);

  /** Default silence before STALE: 10 seconds. */
  public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(10);

  /** Default silence before OFFLINE: 60 seconds. */
  public static final Duration DEFAULT_OFFLINE_AFTER = Duration.ofSeconds(60);

  /** Default failure detection and leader takeover bound: 5 seconds. */
  public static final Duration DEFAULT_FAILOVER_TIMEOUT = Duration.ofSeconds(5);

  public ClusterSettings {
    Delta.requireNodeId(nodeId, "nodeId");
    Objects.requireNonNull(role, "role must not be null");
    requirePositive(heartbeatInterval, "heartbeatInterval");
    requirePositive(staleAfter, "staleAfter");
    requirePositive(offlineAfter, "offlineAfter");
    requirePositive(failoverTimeout, "failoverTimeout");
    if (staleAfter.compareTo(heartbeatInterval) <= 0) {
      throw new IllegalArgumentException(
          "staleAfter must be > heartbeatInterval ("
              + heartbeatInterval
              + "), but was "
              + staleAfter);
    }
    if (offlineAfter.compareTo(staleAfter) <= 0) {
      throw new IllegalArgumentException(
          "offlineAfter must be > staleAfter (" + staleAfter + "), but was " + offlineAfter);
    }
    if (failoverTimeout.toMillis() % 1000 != 0 || failoverTimeout.getSeconds() < 2) {
      throw new IllegalArgumentException(
          "failoverTimeout must be whole seconds, at least 2s, but was " + failoverTimeout);
    }
  }

  /** Settings with the default times. */
  public static ClusterSettings defaults(String nodeId, NodeRole role) {
    return new ClusterSettings(
        nodeId,
        role,
        null,
        null,
        DEFAULT_HEARTBEAT_INTERVAL,
        DEFAULT_STALE_AFTER,
        DEFAULT_OFFLINE_AFTER,
        DEFAULT_FAILOVER_TIMEOUT);
  }

  /** These settings with other liveness times. */
  public ClusterSettings withLiveness(
      Duration heartbeatInterval, Duration staleAfter, Duration offlineAfter) {
    return new ClusterSettings(
        nodeId,
        role,
        version,
        address,
        heartbeatInterval,
        staleAfter,
        offlineAfter,
        failoverTimeout);
  }

  /** These settings with another failover timeout. */
  public ClusterSettings withFailoverTimeout(Duration failoverTimeout) {
    return new ClusterSettings(
        nodeId,
        role,
        version,
        address,
        heartbeatInterval,
        staleAfter,
        offlineAfter,
        failoverTimeout);
  }

  /** The status of a node last heard from at {@code lastHeartbeat}, as of {@code now}. */
  public NodeStatus statusOf(Instant lastHeartbeat, Instant now) {
    Duration silence = Duration.between(lastHeartbeat, now);
    if (silence.compareTo(offlineAfter) > 0) {
      return NodeStatus.OFFLINE;
    }
    return silence.compareTo(staleAfter) > 0 ? NodeStatus.STALE : NodeStatus.ONLINE;
  }

  private static void requirePositive(Duration value, String name) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be > 0, but was " + value);
    }
  }
}
