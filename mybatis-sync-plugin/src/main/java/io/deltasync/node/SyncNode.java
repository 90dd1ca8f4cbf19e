package io.deltasync.node;

import io.deltasync.apply.ApplyResult;
import io.deltasync.apply.DeltaApplier;
import io.deltasync.apply.DeltaValidator;
import io.deltasync.apply.OutOfOrderBatchException;
import io.deltasync.conflict.ConflictPolicies;
import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.DeltaIds;
import io.deltasync.delta.Incarnation;
import io.deltasync.delta.NameFilter;
import io.deltasync.load.ReloadNeededException;
import io.deltasync.store.DeltaSignal;
import io.deltasync.store.DeltaStore;
import io.deltasync.store.DeltaStoreException;
import io.deltasync.store.JdbcDeltaStore;
import io.deltasync.store.Page;
import io.deltasync.store.internal.ReloadRows;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * One node: pushes its deltas to peers, pulls theirs, and serves both to others.
 *
 * <pre>{@code
 * SyncNode hub = new SyncNode("hub", hubDataSource, NameFilter.ALL);
 * SyncNode nodeA = new SyncNode("node-a", dataSourceA, NameFilter.ALL);
 * nodeA.push(hub);   // node-a's deltas to the hub
 * nodeA.pull(hub);   // everyone else's from the hub to node-a
 * }</pre>
 *
 * Pointers make both directions resumable: a push or pull that fails part-way continues where the
 * last acknowledged batch ended. Thread-safe; concurrent pulls from one peer serialise in the
 * applier.
 */
public final class SyncNode implements SyncPeer {

  /** Deltas per batch unless told otherwise. */
  public static final int DEFAULT_BATCH_SIZE = 500;

  private final DeltaStore store;
  private final DeltaApplier applier;
  private final int batchSize;
  private final Map<String, Long> rewinds = new ConcurrentHashMap<>();

  /**
   * A node over a data source holding the ds_ tables, replicating the given tables. What other
   * nodes push to it is checked for conflicts and decided {@code server-wins} (see {@code
   * io.deltasync.conflict}), so a node that several others push to never diverges silently; what it
   * pulls is not checked (it follows the peer it pulls from).
   */
  public SyncNode(String nodeId, DataSource dataSource, NameFilter replicatedTables) {
    this(nodeId, dataSource, replicatedTables, ConflictPolicies.serverWins());
  }

  /**
   * A node that decides the conflicts in what other nodes push to it by the given policies (see
   * {@code io.deltasync.conflict}); {@code null} turns detection off, which is safe only when at
   * most one other node writes the tables.
   */
  public SyncNode(
      String nodeId,
      DataSource dataSource,
      NameFilter replicatedTables,
      ConflictPolicies policies) {
    this(
        new JdbcDeltaStore(dataSource, nodeId),
        new DeltaApplier(dataSource, nodeId, new DeltaValidator(replicatedTables), policies, null),
        DEFAULT_BATCH_SIZE);
  }

  public SyncNode(DeltaStore store, DeltaApplier applier, int batchSize) {
    if (!store.nodeId().equals(applier.nodeId())) {
      throw new IllegalArgumentException(
          "store and applier must belong to one node, but were "
              + store.nodeId()
              + " and "
              + applier.nodeId());
    }
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batchSize must be > 0, but was " + batchSize);
    }
    this.store = store;
    this.applier = applier;
    this.batchSize = batchSize;
  }

  @Override
  public String nodeId() {
    return store.nodeId();
  }

  /** This node's store. */
  public DeltaStore store() {
    return store;
  }

  /** This node's applier. */
  public DeltaApplier applier() {
    return applier;
  }

  /** Deltas per batch. */
  public int batchSize() {
    return batchSize;
  }

  /**
   * The requester's deltas after {@code afterSeq}, which it acknowledges by asking (its first
   * request makes it a known peer, whose pointer keeps a purge from deleting what it needs); after
   * {@link #rewindFeed} the answers start at the rewound seq instead, until they reach {@code
   * afterSeq} again (the requester skips what it has).
   *
   * @throws ReloadNeededException when the requester must reload from this node first: this node
   *     purged deltas it had not acknowledged, or its database went back (see {@link
   *     io.deltasync.load.Loader#reloadNeeded})
   */
  @Override
  public DeltaBatch fetch(String requester, long afterSeq, int limit) {
    return fetch(requester, afterSeq, limit, null, false);
  }

  @Override
  public DeltaBatch fetch(String requester, long afterSeq, int limit, String knownIncarnation) {
    return fetch(requester, afterSeq, limit, knownIncarnation, true);
  }

  /**
   * The answer {@link #fetch(String, long, int, String)} gives, for a request already answered once
   * and held open until there is something new (a long poll): it acknowledges nothing again, so an
   * operator's re-send or a rewind made while the request waits is not undone by the request's old
   * {@code afterSeq}. {@code knownIncarnation} null: the requester names none.
   */
  public DeltaBatch fetchAgain(
      String requester, long afterSeq, int limit, String knownIncarnation, boolean named) {
    return fetch(requester, afterSeq, limit, knownIncarnation, named, false);
  }

  private DeltaBatch fetch(
      String requester, long asked, int limit, String knownIncarnation, boolean named) {
    return fetch(requester, asked, limit, knownIncarnation, named, true);
  }

  private DeltaBatch fetch(
      String requester,
      long asked,
      int limit,
      String knownIncarnation,
      boolean named,
      boolean acknowledge) {
    Incarnation incarnation = named ? store.incarnation() : null;
    boolean sameLife = !named || (incarnation != null && incarnation.id().equals(knownIncarnation));
    requireNoReload(requester, asked, sameLife);
    long afterSeq = asked;
    if (incarnation != null
        && !incarnation.id().equals(knownIncarnation)
        && asked > incarnation.baseSeq()) {
      afterSeq = incarnation.baseSeq(); // the requester counts in a past life of this database
    }
    if (acknowledge) {
      store.markPushed(requester, afterSeq); // also makes a new requester a known peer
    }
    Long rewind = rewinds.get(requester);
    long from = rewind != null && rewind < afterSeq ? rewind : afterSeq;
    Page page = store.pendingFor(requester, from, Math.min(limit, batchSize));
    long upTo = Math.max(from, page.scannedTo());
    if (rewind != null) {
      if (from == afterSeq || upTo == from || upTo >= afterSeq) {
        rewinds.remove(requester, rewind);
      } else {
        rewinds.replace(requester, rewind, upTo);
      }
    }
    return new DeltaBatch(nodeId(), DeltaIds.next(), from, upTo, page.deltas(), incarnation);
  }

  /**
   * Refuses a pull of a requester that must reload from this node first: one marked in {@code
   * ds_reload} (this node purged deltas it had not acknowledged, or its database went back below
   * what it had pushed here), or one asking from below what it acknowledged already in this node's
   * present incarnation (its database went back: it lacks rows this node no longer sends it).
   */
  private void requireNoReload(String requester, long asked, boolean sameLife) {
    String reason = reloadDue(requester);
    if (reason == null && sameLife) {
      long acknowledged = store.pointers(requester).lastPushed();
      if (asked < acknowledged) {
        reason =
            requester
                + " asks for the deltas of "
                + nodeId()
                + " after seq "
                + asked
                + ", but had acknowledged them up to seq "
                + acknowledged
                + ": its database went back (restored from a backup, or lost its latest commits)"
                + " and lacks rows that "
                + nodeId()
                + " holds but no longer sends it, its own earlier writes among them; it must"
                + " reload from "
                + nodeId();
      }
    }
    if (reason != null) {
      throw new ReloadNeededException(requester, nodeId(), reason);
    }
  }

  /** Why the peer must reload from this node first, as {@code ds_reload} notes it, or null. */
  private String reloadDue(String peer) {
    try (Connection connection = applier.dataSource().getConnection()) {
      ReloadRows.Reload due = ReloadRows.read(connection, peer, nodeId());
      return due == null ? null : due.reason();
    } catch (SQLException e) {
      throw new DeltaStoreException(
          "could not read whether " + peer + " must reload from " + nodeId(), e);
    }
  }

  /**
   * Serves a peer that pulls from this node its deltas after {@code fromSeq} again: its next pulls
   * are answered from there until they reach the seq it asks from (it skips what it has). This is
   * re-send for a peer that pulls, as {@code DeltaMaintenance.resendFrom} is for one this node
   * pushes to. Kept in memory: a restart forgets it.
   */
  public void rewindFeed(String peer, long fromSeq) {
    if (fromSeq < 0) {
      throw new IllegalArgumentException("fromSeq must be >= 0, but was " + fromSeq);
    }
    rewinds.put(peer, fromSeq);
    DeltaSignal.of(nodeId()).raise(); // a pull the feed holds is answered from there at once
  }

  /**
   * The next batch for a peer after its {@code lastPushed}, or empty when there is nothing new. A
   * batch may hold no deltas yet move the peer's pointer past deltas not meant for it.
   */
  public Optional<DeltaBatch> nextBatchFor(String peer) {
    return nextBatchFor(peer, batchSize);
  }

  /**
   * Refuses to serve a peer this node pushes to (over a queue or a folder) while {@code ds_reload}
   * notes that it must reload from this node first (a forced purge deleted deltas it had not
   * acknowledged): its next batch would continue past deltas it never got, as if nothing were
   * missing. The outbox asks before each batch; {@link #push} does not (its callers pull too).
   *
   * @throws ReloadNeededException naming the gap
   */
  public void requireNoReloadFor(String peer) {
    String reload = reloadDue(peer);
    if (reload != null) {
      throw new ReloadNeededException(peer, nodeId(), reload);
    }
  }

  /** The next batch for a peer, of at most {@code limit} deltas (more to finish a transaction). */
  public Optional<DeltaBatch> nextBatchFor(String peer, int limit) {
    store.incarnation(); // begins one first, which may move lastPushed back
    long lastPushed = store.pointers(peer).lastPushed();
    Page page = store.pendingFor(peer, lastPushed, limit);
    if (page.scannedTo() <= lastPushed) {
      return Optional.empty();
    }
    // read after the page: a process that began an incarnation since based it above this page
    Incarnation incarnation = store.incarnation();
    return Optional.of(
        new DeltaBatch(
            nodeId(), DeltaIds.next(), lastPushed, page.scannedTo(), page.deltas(), incarnation));
  }

  @Override
  public ApplyResult receive(DeltaBatch batch) {
    return noted(applier.apply(batch));
  }

  /** Tells the store where the applier left the pointer, also when it re-based it. */
  private ApplyResult noted(ApplyResult result) {
    if (result.rebased()) {
      store.rebased(result.sender(), result.lastProcessed());
    } else {
      store.processed(result.sender(), result.lastProcessed());
    }
    return result;
  }

  /**
   * Sends the peer every delta it has not acknowledged, batch by batch, moving {@code lastPushed}
   * after each acknowledgement.
   *
   * @return how many deltas were sent
   */
  public int push(SyncPeer peer) {
    int sent = 0;
    boolean rewound = false;
    while (true) {
      Optional<DeltaBatch> next = nextBatchFor(peer.nodeId());
      if (next.isEmpty()) {
        return sent;
      }
      DeltaBatch batch = next.get();
      try {
        peer.receive(batch);
      } catch (OutOfOrderBatchException e) {
        if (rewound) {
          throw e;
        }
        rewound = true; // the peer lost what it had acknowledged (a restored backup): send again
        store.resetPushed(peer.nodeId(), e.lastProcessed());
        continue;
      }
      sent += batch.deltas().size();
      store.markPushed(peer.nodeId(), batch.upToSeq());
    }
  }

  /**
   * Fetches and applies the peer's deltas after this node's {@code lastProcessed} for it, until the
   * peer has no more. The peer serves as this node's upstream for what it sends: it may pass on
   * other nodes' deltas and row images (see {@link DeltaApplier#applyPulled}).
   *
   * @return how many deltas were applied
   */
  public int pull(SyncPeer peer) {
    return pull(peer, Integer.MAX_VALUE);
  }

  /**
   * As {@link #pull(SyncPeer)}, but fetches at most {@code maxBatches} batches: a peer whose own
   * writers commit faster than this node fetches and applies always has more, and a pull until it
   * has none would not end while they write.
   *
   * @return how many deltas were applied
   */
  public int pull(SyncPeer peer, int maxBatches) {
    if (maxBatches <= 0) {
      throw new IllegalArgumentException("maxBatches must be > 0, but was " + maxBatches);
    }
    int applied = 0;
    for (int fetched = 0; fetched < maxBatches; fetched++) {
      long lastProcessed = store.pointers(peer.nodeId()).lastProcessed();
      String known = store.peerIncarnation(peer.nodeId());
      DeltaBatch batch = peer.fetch(nodeId(), lastProcessed, batchSize, known);
      boolean otherIncarnation =
          batch.incarnation() != null && !batch.incarnation().id().equals(known);
      if (batch.upToSeq() <= lastProcessed && !otherIncarnation) {
        return applied;
      }
      ApplyResult result = noted(applier.applyPulled(batch));
      applied += result.applied();
      if (otherIncarnation && !result.rebased() && result.lastProcessed() <= lastProcessed) {
        return applied; // a new incarnation above what this node had: nothing more yet
      }
    }
    return applied;
  }

  /** Pushes, then pulls: one round of two-way sync with the peer. */
  public void sync(SyncPeer peer) {
    push(peer);
    pull(peer);
  }
}
