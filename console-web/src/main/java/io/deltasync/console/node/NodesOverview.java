package io.deltasync.console.node;

import io.deltasync.cluster.ClusterView;
import io.deltasync.cluster.NodeState;
import io.deltasync.cluster.PeerLag;
import io.deltasync.console.system.ConsoleProperties;
import io.deltasync.load.LoadProgress;
import io.deltasync.load.LoadProgressReader;
import io.deltasync.load.TableReloadRequest;
import io.deltasync.store.DeltaStore;
import io.deltasync.store.NodePointers;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * What the Nodes page and {@code /api/nodes} show, read at once: the registry's nodes, every
 * pointer with its lag, chart, shipping state and reload state (a peer that must reload from this
 * node or is loading from it, or this node held or reloading from its hub), the tables a peer was
 * asked to reload from this node that are still due or failed, and this node's loads from its hub
 * (in progress, done, due or held for an operator). Without a cluster, the nodes are unknown and
 * the pointers are this node's own.
 */
@Component
public class NodesOverview {

  private final ObjectProvider<ClusterView> cluster;
  private final DeltaStore store;
  private final LagSampler sampler;
  private final ShippingSwitch shipping;
  private final ConsoleProperties properties;
  private final LoadProgressReader loads;
  private final NodeReloads reloads;
  private final PeerTableReloads tableReloads;

  public NodesOverview(
      ObjectProvider<ClusterView> cluster,
      DeltaStore store,
      LagSampler sampler,
      ShippingSwitch shipping,
      ConsoleProperties properties,
      LoadProgressReader loads,
      NodeReloads reloads,
      PeerTableReloads tableReloads) {
    this.loads = loads;
    this.reloads = reloads;
    this.tableReloads = tableReloads;
    this.cluster = cluster;
    this.store = store;
    this.sampler = sampler;
    this.shipping = shipping;
    this.properties = properties;
  }

  /** The cluster now. */
  public Snapshot read() {
    ClusterView view = cluster.getIfAvailable();
    List<NodeState> nodes = view == null ? List.of() : view.nodes();
    List<NodePointers> pointers = view == null ? store.allPointers() : view.pointers();
    // the last sample (seconds old) spares a count over ds_delta per pointer on every render
    List<PeerLag> sampled = view == null ? List.of() : sampler.latest();
    List<PeerLag> lags = view != null && sampled.isEmpty() ? view.lag() : sampled;
    Instant now = Instant.now();
    List<LoadProgress> ownLoads = loads.read();
    Map<String, NodeReloads.State> reloading = reloads.states(ownLoads);
    Map<String, List<TableReloadRequest>> tables = tableReloads.byPeer();
    List<Pointer> rows =
        pointers.stream()
            .map(
                pointer -> {
                  PeerLag lag =
                      lags.stream()
                          .filter(
                              each ->
                                  each.nodeId().equals(pointer.nodeId())
                                      && each.peerId().equals(pointer.peerId()))
                          .findFirst()
                          .orElse(null);
                  boolean own = pointer.nodeId().equals(store.nodeId());
                  return new Pointer(
                      pointer,
                      lag,
                      LagChart.of(
                          sampler.history(pointer.nodeId(), pointer.peerId()),
                          now,
                          properties.getLagHistory()),
                      own ? shipping.routes(pointer.peerId()) : List.of(),
                      own && shipping.paused(pointer.peerId()),
                      own ? reloading.get(pointer.peerId()) : null,
                      own ? tables.getOrDefault(pointer.peerId(), List.of()) : List.of());
                })
            .toList();
    return new Snapshot(store.nodeId(), view != null, nodes, rows, ownLoads);
  }

  /**
   * The cluster as read at one moment.
   *
   * @param nodeId this node's id
   * @param clustered whether a cluster is there to read nodes and lag from
   * @param nodes every node the registry knows, by id
   * @param pointers every pointer, by node then peer
   * @param loads this node's loads and reloads due, one per peer it loads from, by peer; empty when
   *     it never loaded
   */
  public record Snapshot(
      String nodeId,
      boolean clustered,
      List<NodeState> nodes,
      List<Pointer> pointers,
      List<LoadProgress> loads) {}

  /**
   * One pointer with what the page shows about it.
   *
   * @param pointers the pointer
   * @param lag how far the peer is behind; null when unknown
   * @param chart the lag over the last minutes
   * @param shippingRoutes this node's routes that ship to the peer; empty when it pulls
   * @param paused whether those routes are stopped
   * @param reload where a reload with the peer stands (it reloads from this node, or this node from
   *     it); null when none is under way or the pointer is another node's
   * @param tableReloads the tables this node asked the peer to reload that are still due (told at
   *     its next pull) or failed (with the peer's error), by table; empty when none or the pointer
   *     is another node's
   */
  public record Pointer(
      NodePointers pointers,
      PeerLag lag,
      LagChart chart,
      List<String> shippingRoutes,
      boolean paused,
      NodeReloads.State reload,
      List<TableReloadRequest> tableReloads) {}
}
