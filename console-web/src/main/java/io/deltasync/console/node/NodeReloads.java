package io.deltasync.console.node;

import io.deltasync.load.HubReloads;
import io.deltasync.load.HubSnapshots;
import io.deltasync.load.LoadProgress;
import io.deltasync.load.Loader;
import io.deltasync.load.ReloadPreview;
import io.deltasync.store.DeltaStore;
import io.deltasync.store.NodePointers;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The console's side of reloads: which node reloads from which when an admin asks for the reload of
 * a peer, what it would copy, and where each peer's reload stands. A peer this node serves is
 * reloaded through {@link HubReloads} (it notes the reload; the peer's next pull is refused until
 * it has reloaded); this node's own hub, when this node loads from one ({@link Loader}), through
 * {@link Loader#reload()}, which releases a reload held for an operator or asks for one.
 */
@Component
public class NodeReloads {

  private final HubReloads hub;
  private final ObjectProvider<Loader> loader;
  private final ObjectProvider<HubSnapshots> snapshots;
  private final DeltaStore store;

  public NodeReloads(
      HubReloads hub,
      ObjectProvider<Loader> loader,
      ObjectProvider<HubSnapshots> snapshots,
      DeltaStore store) {
    this.hub = hub;
    this.loader = loader;
    this.snapshots = snapshots;
    this.store = store;
  }

  /**
   * What reloading with the peer would do: the peer reloads from this node, or, when the peer is
   * this node's own hub, this node reloads from it.
   *
   * @throws io.deltasync.load.LoadException when no reload can be asked for with the peer
   */
  public Plan plan(String peer) {
    Loader own = ownLoader(peer);
    if (own != null) {
      NodePointers pointers = store.pointers(peer);
      Optional<LoadProgress> progress = own.progress();
      State state = progress.map(NodeReloads::state).orElse(null);
      return new Plan(
          store.nodeId(),
          peer,
          true,
          pointers.lastPushed(),
          pointers.lastProcessed(),
          state == null ? null : state.state(),
          state == null ? null : state.reason(),
          hub.rowCounts());
    }
    ReloadPreview preview = hub.preview(peer);
    boolean loading = loading().contains(peer);
    return new Plan(
        peer,
        store.nodeId(),
        false,
        preview.lastPushed(),
        preview.lastProcessed(),
        preview.due() ? LoadProgress.State.RELOAD_DUE : loading ? LoadProgress.State.LOADING : null,
        preview.dueReason(),
        preview.rows());
  }

  /**
   * Asks for the reload the plan for the peer describes.
   *
   * @param requestedBy who asks, as the hub's note names them
   * @return whether it was asked now (false: a reload of the peer from this node was due already)
   */
  public boolean request(String peer, String requestedBy) {
    Loader own = ownLoader(peer);
    if (own != null) {
      own.reload();
      return true;
    }
    return hub.request(peer, requestedBy);
  }

  /**
   * Where each reload this node knows of stands, by the peer it is reloaded with: peers that must
   * reload from this node or load from it now, and this node's own loads from its hub that are not
   * done (read from {@code loads}).
   */
  public Map<String, State> states(List<LoadProgress> loads) {
    Map<String, State> states = new TreeMap<>();
    for (String peer : loading()) {
      states.put(peer, new State(LoadProgress.State.LOADING, "loading from " + store.nodeId()));
    }
    hub.due()
        .forEach(
            (peer, reason) -> states.put(peer, new State(LoadProgress.State.RELOAD_DUE, reason)));
    for (LoadProgress load : loads) {
      State state = state(load);
      if (state != null) {
        states.put(load.peer(), state);
      }
    }
    return states;
  }

  private Loader ownLoader(String peer) {
    Loader own = loader.getIfAvailable();
    return own != null && own.hubId().equals(peer) ? own : null;
  }

  private Set<String> loading() {
    HubSnapshots serving = snapshots.getIfAvailable();
    return serving == null ? Set.of() : serving.loading();
  }

  private static State state(LoadProgress load) {
    return load.state() == LoadProgress.State.DONE ? null : new State(load.state(), load.reason());
  }

  /**
   * Where one reload stands.
   *
   * @param state loading, due, or held for an operator (on the node that reloads)
   * @param reason why, or who asked; null when unknown
   */
  public record State(LoadProgress.State state, String reason) {}

  /**
   * A reload as the confirmation page and the API preview it.
   *
   * @param node the node that reloads
   * @param source the node it reloads from
   * @param local whether the node that reloads is this one (from its own hub)
   * @param lastPushed this node's deltas the peer acknowledged, up to this seq
   * @param lastProcessed the peer's deltas this node applied, up to this seq
   * @param state where a reload of the node already stands; null when none is under way
   * @param reason why a reload is under way, or who asked for it; null when none is
   * @param rows per table, the rows {@code source} holds that {@code node} receives (on a hub) or,
   *     when {@code local}, the rows this node holds now and a reload replaces
   * @param totalRows the rows of every table
   */
  public record Plan(
      String node,
      String source,
      boolean local,
      long lastPushed,
      long lastProcessed,
      LoadProgress.State state,
      String reason,
      Map<String, Long> rows,
      long totalRows) {

    Plan(
        String node,
        String source,
        boolean local,
        long lastPushed,
        long lastProcessed,
        LoadProgress.State state,
        String reason,
        Map<String, Long> rows) {
      this(
          node,
          source,
          local,
          lastPushed,
          lastProcessed,
          state,
          reason,
          rows,
          rows.values().stream().mapToLong(Long::longValue).sum());
    }
  }
}
