package io.deltasync.cluster;

import com.hazelcast.map.IMap;
import io.deltasync.cluster.internal.AdvancePointers;
import io.deltasync.cluster.internal.PointerKeys;
import io.deltasync.cluster.internal.RebaseProcessed;
import io.deltasync.cluster.internal.ResetPushed;
import io.deltasync.delta.Incarnation;
import io.deltasync.store.DeltaStore;
import io.deltasync.store.NodePointers;
import io.deltasync.store.Page;
import io.deltasync.store.Rebase;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's {@link DeltaStore} whose pointers are also shared with the whole cluster, in a Hazelcast
 * map keyed {@code nodeId/peerId}.
 *
 * <p>The node's own database stays authoritative: every pointer change goes to the delegate (a
 * {@code JdbcDeltaStore}) first, then to the map, where entries only move forward ({@link
 * #resetPushed} excepted), so the map never holds more than the database. Pointers are read from
 * the map, which every member of a hub shares, and from the database when the map has no entry or
 * cannot be reached (the database is then still right, the cluster view just lags). Deltas
 * themselves are read from and purged in the delegate only. Thread-safe.
 */
public final class ClusteredDeltaStore implements DeltaStore {

  private static final Logger LOG = LoggerFactory.getLogger(ClusteredDeltaStore.class);

  private final DeltaStore delegate;
  private final IMap<String, NodePointers> pointers;
  private volatile Incarnation shared;

  /**
   * @param delegate the node's store over its own database
   * @param pointers the cluster's pointer map (see {@link DeltaSyncCluster#POINTER_MAP})
   */
  public ClusteredDeltaStore(DeltaStore delegate, IMap<String, NodePointers> pointers) {
    this.delegate = delegate;
    this.pointers = pointers;
  }

  /**
   * Publishes this node's pointers from its database into the map, merging forward; a node does
   * this when it joins, so that the cluster sees pointers that no member's map store loads.
   *
   * @return how many pointers were published
   */
  public int publish() {
    List<NodePointers> all = delegate.allPointers();
    for (NodePointers each : all) {
      advance(each.peerId(), each.lastPushed(), each.lastProcessed());
    }
    return all.size();
  }

  @Override
  public String nodeId() {
    return delegate.nodeId();
  }

  @Override
  public Page pendingFor(String peer, long afterSeq, int limit) {
    return delegate.pendingFor(peer, afterSeq, limit);
  }

  @Override
  public NodePointers pointers(String peer) {
    try {
      NodePointers shared = pointers.get(PointerKeys.of(nodeId(), peer));
      if (shared != null) {
        return shared;
      }
    } catch (RuntimeException e) {
      LOG.debug("Pointer map unavailable, reading pointers of {} from the database", peer, e);
    }
    return delegate.pointers(peer);
  }

  @Override
  public List<NodePointers> allPointers() {
    Map<String, NodePointers> byPeer = new TreeMap<>();
    for (NodePointers own : delegate.allPointers()) {
      byPeer.put(own.peerId(), own);
    }
    try {
      for (NodePointers shared : pointers.values()) {
        if (shared.nodeId().equals(nodeId())) {
          byPeer.put(shared.peerId(), shared);
        }
      }
    } catch (RuntimeException e) {
      LOG.debug("Pointer map unavailable, reading pointers from the database", e);
    }
    return List.copyOf(byPeer.values());
  }

  @Override
  public void markPushed(String peer, long seq) {
    delegate.markPushed(peer, seq);
    advance(peer, seq, 0);
  }

  @Override
  public void resetPushed(String peer, long seq) {
    delegate.resetPushed(peer, seq);
    NodePointers stored = delegate.pointers(peer);
    try {
      pointers.executeOnKey(
          PointerKeys.of(nodeId(), peer),
          new ResetPushed(nodeId(), peer, stored.lastPushed(), stored.lastProcessed()));
    } catch (RuntimeException e) {
      LOG.warn("Could not share the reset of lastPushed of peer {} with the cluster", peer, e);
    }
  }

  @Override
  public void processed(String peer, long seq) {
    advance(peer, 0, seq);
  }

  @Override
  public Incarnation incarnation() {
    Incarnation incarnation = delegate.incarnation();
    if (incarnation != null && !incarnation.equals(shared)) {
      // beginning it may have moved lastPushed back in the database: the map must follow
      for (NodePointers stored : delegate.allPointers()) {
        try {
          pointers.executeOnKey(
              PointerKeys.of(nodeId(), stored.peerId()),
              new ResetPushed(nodeId(), stored.peerId(), stored.lastPushed(), 0));
        } catch (RuntimeException e) {
          LOG.warn("Could not share lastPushed of peer {} with the cluster", stored.peerId(), e);
        }
      }
      shared = incarnation;
    }
    return incarnation;
  }

  @Override
  public String peerIncarnation(String peer) {
    return delegate.peerIncarnation(peer);
  }

  @Override
  public void rebased(String peer, long seq) {
    delegate.rebased(peer, seq);
    NodePointers stored = delegate.pointers(peer);
    try {
      pointers.executeOnKey(
          PointerKeys.of(nodeId(), peer),
          new RebaseProcessed(nodeId(), peer, stored.lastPushed(), stored.lastProcessed()));
    } catch (RuntimeException e) {
      LOG.warn("Could not share the re-base of lastProcessed of peer {} with the cluster", peer, e);
    }
  }

  @Override
  public List<Rebase> rebases(int limit) {
    return delegate.rebases(limit);
  }

  @Override
  public long lastSeq() {
    return delegate.lastSeq();
  }

  @Override
  public long count() {
    return delegate.count();
  }

  @Override
  public int purgeAcknowledged() {
    return delegate.purgeAcknowledged();
  }

  private void advance(String peer, long lastPushed, long lastProcessed) {
    try {
      pointers.executeOnKey(
          PointerKeys.of(nodeId(), peer),
          new AdvancePointers(nodeId(), peer, lastPushed, lastProcessed));
    } catch (RuntimeException e) {
      // the database has it; the map catches up with the next move or when the node rejoins
      LOG.debug("Could not share pointers of peer {} with the cluster", peer, e);
    }
  }
}
