package io.deltasync.ship;

import io.deltasync.node.Leadership;
import io.deltasync.node.PeerContacts;
import io.deltasync.node.SyncNode;
import io.deltasync.store.DeltaSignal;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code deltasync:} Camel component: this node's outbox, inbox, feed, pull, verify and load
 * endpoints.
 *
 * <pre>
 * deltasync:outbox?peer=hub   consumer: the next batch for the peer, signed; pointer moves on success
 * deltasync:pull?peer=hub     consumer: a signed request for the peer's deltas after lastProcessed
 * deltasync:inbox             producer: opens, checks and applies a batch; replies with an ack
 * deltasync:feed              producer: answers a pull request with a signed batch
 * deltasync:verify            producer: answers a verify request with signed checksums or rows
 * deltasync:load              producer: answers an initial-load request with a snapshot or its rows
 * </pre>
 *
 * In a Spring Boot application the auto-configuration registers it as the bean {@code deltasync};
 * elsewhere, add it to the {@code CamelContext} under that name. Thread-safe.
 */
public class DeltaSyncComponent extends DefaultComponent {

  /** How many pulls the feed holds at once unless told otherwise. */
  public static final int DEFAULT_MAX_HELD_PULLS = 64;

  private final SyncNode node;
  private final PeerSecrets secrets;
  private final ShipLimits limits;
  private final Leadership leadership;
  private final PeerContacts contacts;
  private final ShipCounters counters;
  private final Set<String> heldFeeds = ConcurrentHashMap.newKeySet();
  private final AtomicInteger heldPulls = new AtomicInteger();
  private volatile int maxHeldPulls = DEFAULT_MAX_HELD_PULLS;

  public DeltaSyncComponent(
      SyncNode node,
      PeerSecrets secrets,
      ShipLimits limits,
      Leadership leadership,
      PeerContacts contacts,
      ShipCounters counters) {
    this.node = Objects.requireNonNull(node, "node");
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.leadership = Objects.requireNonNull(leadership, "leadership");
    this.contacts = Objects.requireNonNull(contacts, "contacts");
    this.counters = Objects.requireNonNull(counters, "counters");
  }

  /** A component with default limits, always leading, reporting contacts nowhere. */
  public DeltaSyncComponent(SyncNode node, PeerSecrets secrets) {
    this(
        node,
        secrets,
        ShipLimits.DEFAULT,
        Leadership.ALWAYS,
        PeerContacts.NONE,
        new ShipCounters());
  }

  @Override
  protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters)
      throws Exception {
    DeltaSyncEndpoint.Kind kind = DeltaSyncEndpoint.Kind.parse(remaining);
    DeltaSyncEndpoint endpoint = new DeltaSyncEndpoint(uri, this, kind);
    setProperties(endpoint, parameters);
    endpoint.check();
    return endpoint;
  }

  SyncNode node() {
    return node;
  }

  PeerSecrets secrets() {
    return secrets;
  }

  ShipLimits limits() {
    return limits;
  }

  Leadership leadership() {
    return leadership;
  }

  PeerContacts contacts() {
    return contacts;
  }

  /** What shipping through this component has done. */
  public ShipCounters counters() {
    return counters;
  }

  /**
   * Holds this node's feed for the peer: its pulls are answered with no deltas (still acknowledging
   * what it asks from) until {@link #releaseFeed}. Pauses shipping to a peer that pulls, as
   * stopping its outbox routes does for one this node pushes to. Kept in memory: a restart releases
   * it.
   *
   * @return whether it was not held already
   */
  public boolean holdFeed(String peer) {
    return heldFeeds.add(peer);
  }

  /**
   * Answers the peer's pulls again.
   *
   * @return whether it was held
   */
  public boolean releaseFeed(String peer) {
    boolean released = heldFeeds.remove(peer);
    if (released) {
      DeltaSignal.of(node.nodeId()).raise(); // a pull held meanwhile is answered at once
    }
    return released;
  }

  /** Whether the feed for the peer is held. */
  public boolean feedHeld(String peer) {
    return heldFeeds.contains(peer);
  }

  /**
   * Most pulls the feed holds at once (long polls), default {@value #DEFAULT_MAX_HELD_PULLS}; pulls
   * beyond it are answered at once. Each held pull occupies a thread of the web server's request
   * executor, so keep it below that executor's size (see {@code deltasync.ship.max-held-pulls}).
   */
  public void setMaxHeldPulls(int maxHeldPulls) {
    if (maxHeldPulls < 0) {
      throw new IllegalArgumentException("maxHeldPulls must be >= 0, but was " + maxHeldPulls);
    }
    this.maxHeldPulls = maxHeldPulls;
  }

  /** Most pulls the feed holds at once. */
  public int getMaxHeldPulls() {
    return maxHeldPulls;
  }

  /**
   * Takes one of the held pulls' places; false when all are taken. Give it back with {@link
   * #endHold}.
   */
  boolean startHold() {
    if (heldPulls.incrementAndGet() > maxHeldPulls) {
      heldPulls.decrementAndGet();
      return false;
    }
    return true;
  }

  void endHold() {
    heldPulls.decrementAndGet();
  }
}
