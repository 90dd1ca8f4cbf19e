package io.deltasync.console.system;

import io.deltasync.cluster.ClusterView;
import io.deltasync.cluster.NodeState;
import io.deltasync.cluster.NodeStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * The {@code deltasync} health contributor: DOWN when a node has been OFFLINE (silent) for longer
 * than {@code deltasync.console.offline-down-after}, or when dead letters are waiting; the details
 * name those nodes and count the dead letters, and list every node's status.
 */
@Component("deltasyncHealthIndicator")
class DeltaSyncHealthIndicator extends AbstractHealthIndicator {

  private final ObjectProvider<ClusterView> cluster;
  private final DeltaSyncMeters meters;
  private final ConsoleProperties properties;

  DeltaSyncHealthIndicator(
      ObjectProvider<ClusterView> cluster, DeltaSyncMeters meters, ConsoleProperties properties) {
    super("deltasync health check failed");
    this.cluster = cluster;
    this.meters = meters;
    this.properties = properties;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    Instant limit = Instant.now().minus(properties.getOfflineDownAfter());
    Map<String, Object> nodes = new LinkedHashMap<>();
    Map<String, Object> offline = new LinkedHashMap<>();
    ClusterView view = cluster.getIfAvailable();
    if (view != null) {
      for (NodeState state : view.nodes()) {
        nodes.put(state.node().nodeId(), state.status().name());
        if (state.status() == NodeStatus.OFFLINE && state.node().lastHeartbeat().isBefore(limit)) {
          offline.put(state.node().nodeId(), "last contact " + state.node().lastHeartbeat());
        }
      }
    }
    long deadLetters = meters.counts().deadLetters();
    builder.withDetail("nodes", nodes).withDetail("deadLetters", deadLetters);
    if (!offline.isEmpty()) {
      builder.withDetail("offline", offline);
    }
    if (offline.isEmpty() && deadLetters == 0) {
      builder.up();
    } else {
      builder.down();
    }
  }
}
