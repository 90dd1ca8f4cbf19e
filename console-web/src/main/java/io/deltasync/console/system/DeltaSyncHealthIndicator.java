package io.deltasync.console.system;

import io.deltasync.cluster.ClusterView;
import io.deltasync.cluster.NodeState;
import io.deltasync.cluster.NodeStatus;
import io.deltasync.load.LoadProgress;
import io.deltasync.load.LoadProgressReader;
import io.deltasync.store.DeltaStore;
import io.deltasync.store.Rebase;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * The {@code deltasync} health contributor: DOWN when a node has been OFFLINE (silent) for longer
 * than {@code deltasync.console.offline-down-after}, or when dead letters are waiting; the details
 * name those nodes and count the dead letters, and list every node's status. The details also list
 * the latest re-bases of a peer's stream (its database lost its latest commits or was restored, see
 * {@link Rebase}), which this node healed by itself, so they do not make it DOWN, and this node's
 * loads that are not done (loading, reload due, or held for an operator with the reason), which do
 * not make it DOWN either: a held node is healthy, it waits for a decision.
 */
@Component("deltasyncHealthIndicator")
class DeltaSyncHealthIndicator extends AbstractHealthIndicator {

  /** How many of the latest re-bases the details show. */
  static final int REBASES_SHOWN = 5;

  private final ObjectProvider<ClusterView> cluster;
  private final ObjectProvider<DeltaStore> store;
  private final DeltaSyncMeters meters;
  private final ConsoleProperties properties;
  private final ObjectProvider<LoadProgressReader> loads;

  DeltaSyncHealthIndicator(
      ObjectProvider<ClusterView> cluster,
      ObjectProvider<DeltaStore> store,
      DeltaSyncMeters meters,
      ConsoleProperties properties,
      ObjectProvider<LoadProgressReader> loads) {
    super("deltasync health check failed");
    this.loads = loads;
    this.cluster = cluster;
    this.store = store;
    this.meters = meters;
    this.properties = properties;
  }

  private static Map<String, Object> describe(Rebase rebase) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("peer", rebase.peerId());
    detail.put("at", rebase.at().toString());
    detail.put("fromSeq", rebase.fromSeq());
    detail.put("toSeq", rebase.toSeq());
    detail.put("reason", rebase.reason());
    return detail;
  }

  private static Map<String, Object> describe(LoadProgress load) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("peer", load.peer());
    detail.put("state", load.state().name());
    if (load.reason() != null) {
      detail.put("reason", load.reason());
    }
    detail.put("tables", load.tablesDone() + " of " + load.tablesTotal());
    detail.put("rows", load.rowsLoaded());
    if (load.rowsTotal() != null) {
      detail.put("rowsTotal", load.rowsTotal());
    }
    if (load.secondsLeft() != null) {
      detail.put("secondsLeft", load.secondsLeft());
    }
    return detail;
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
    DeltaStore deltas = store.getIfAvailable();
    List<Rebase> rebases = deltas == null ? List.of() : deltas.rebases(REBASES_SHOWN);
    if (!rebases.isEmpty()) {
      builder.withDetail(
          "rebases", rebases.stream().map(DeltaSyncHealthIndicator::describe).toList());
    }
    LoadProgressReader reader = loads.getIfAvailable();
    List<LoadProgress> unfinished =
        reader == null
            ? List.of()
            : reader.read().stream()
                .filter(load -> load.state() != LoadProgress.State.DONE)
                .toList();
    if (!unfinished.isEmpty()) {
      builder.withDetail(
          "loads", unfinished.stream().map(DeltaSyncHealthIndicator::describe).toList());
    }
    if (offline.isEmpty() && deadLetters == 0) {
      builder.up();
    } else {
      builder.down();
    }
  }
}
