package io.deltasync.ship;

import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.DeltaCodec;
import io.deltasync.delta.DeltaIds;
import io.deltasync.load.HubReloads;
import io.deltasync.load.ReloadNeededException;
import io.deltasync.load.TableReloadRequest;
import io.deltasync.node.SyncNode;
import io.deltasync.store.DeltaSignal;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Route;
import org.apache.camel.StatefulService;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code deltasync:feed}: answers a signed pull request with a signed batch of this node's deltas
 * for the requester, after the seq it asked from (asking acknowledges everything up to it). The
 * batch holds at most the smaller of the request's limit and {@code max-batch-deltas}. While the
 * feed for the requester is held ({@link DeltaSyncComponent#holdFeed}) the batch is empty; after
 * {@link SyncNode#rewindFeed} it starts at the rewound seq. A requester that must reload first (see
 * {@link ReloadNeededException}) is refused with 410 and the reason.
 *
 * <p>A long poll: when there is nothing new for the requester and its request asks to wait, the
 * request is held, up to the smaller of its wait and {@code maxWait}, and answered as soon as the
 * node's {@link DeltaSignal} says deltas were committed and there is something new for it (or its
 * held feed was released, or rewound). At most {@link DeltaSyncComponent#getMaxHeldPulls} requests
 * are held at once; more are answered at once. While held, the requester counts as in touch (its
 * contact is reported every second, when the feed also looks for deltas that another process on the
 * same database committed). Stopping the Camel context answers held requests at once, and so does
 * stopping or suspending the route when its consumer is suspended first, as platform-http's is.
 */
final class FeedProducer extends DefaultProducer {

  /**
   * How often a held request reports its requester as in touch, and looks for deltas committed by
   * another process (which raises no signal in this one).
   */
  private static final long CONTACT_EVERY_MILLIS = 1_000;

  /** How often a held request checks whether its route is stopping. */
  private static final long STOP_CHECK_MILLIS = 200;

  private final DeltaSyncComponent component;
  private final DeltaSyncEndpoint endpoint;
  private final DeltaSignal signal;

  /** The node's {@link HubReloads}, looked up once; empty when it has none. */
  private volatile Optional<HubReloads> hubReloads;

  FeedProducer(DeltaSyncEndpoint endpoint) {
    super(endpoint);
    this.endpoint = endpoint;
    this.component = endpoint.getComponent();
    this.signal = DeltaSignal.of(component.node().nodeId());
  }

  @Override
  public void process(Exchange exchange) {
    Envelope request;
    PullRequest pull;
    try {
      request = Receiving.open(component, exchange, Envelope.Type.PULL);
      pull = PullRequest.decode(request.payloadView());
    } catch (ShipException e) {
      Receiving.refused(component, exchange, e);
      throw e;
    }
    SyncNode node = component.node();
    String requester = request.sender();
    String from = Receiving.from(exchange);
    int limit = Math.min(pull.limit(), component.limits().maxBatchDeltas());
    long seen = signal.generation();
    HubReloads reloads = reloads(exchange);
    TableReloadsAsked.ended(reloads, requester, pull.tableReloads());
    DeltaBatch batch;
    try {
      batch = answer(requester, pull, limit, false);
    } catch (ShipException e) {
      Receiving.refused(component, exchange, e);
      throw e;
    }
    long wait = Math.min(pull.waitMillis(), endpoint.getMaxWait());
    if (wait > 0
        && nothingNew(batch, pull)
        && tablesDue(reloads, requester).isEmpty()
        && component.startHold()) {
      try {
        component.contacts().contacted(requester, from);
        batch = hold(exchange, requester, from, pull, limit, seen, wait, batch, reloads);
      } finally {
        component.endHold();
      }
    }
    Envelope answer =
        Envelope.owning(
            Envelope.Type.BATCH,
            node.nodeId(),
            requester,
            batch.batchId(),
            DeltaCodec.encodeBatch(batch));
    component.contacts().contacted(requester, from);
    component.counters().sent(batch.deltas().size());
    Message message = exchange.getMessage();
    message.setBody(Envelopes.seal(answer, component.secrets().require(requester)));
    message.setHeader(Exchange.CONTENT_TYPE, Envelopes.CONTENT_TYPE);
    message.setHeader(ShipHeaders.SENDER, node.nodeId());
    message.setHeader(ShipHeaders.RECIPIENT, requester);
    message.setHeader(ShipHeaders.BATCH_ID, batch.batchId());
    message.setHeader(ShipHeaders.AFTER_SEQ, batch.afterSeq());
    message.setHeader(ShipHeaders.UP_TO_SEQ, batch.upToSeq());
    message.setHeader(ShipHeaders.DELTA_COUNT, batch.deltas().size());
    TableReloadsAsked.tell(
        message,
        node.nodeId(),
        requester,
        request.id(),
        tablesDue(reloads, requester),
        component.secrets().require(requester));
  }

  /** The hub's table reload requests, when this node has a {@link HubReloads}; else null. */
  private HubReloads reloads(Exchange exchange) {
    Optional<HubReloads> found = hubReloads;
    if (found == null) {
      found =
          Optional.ofNullable(
              exchange.getContext().getRegistry().findSingleByType(HubReloads.class));
      hubReloads = found;
    }
    return found.orElse(null);
  }

  private static List<TableReloadRequest> tablesDue(HubReloads reloads, String requester) {
    return reloads == null ? List.of() : reloads.tableReloadsDue(requester);
  }

  /**
   * What the requester gets now: nothing while its feed is held, else its next deltas. Only the
   * first answer to a request acknowledges its {@code afterSeq}; the answers while it is held
   * ({@code again}) do not, so a re-send made meanwhile stands.
   *
   * @throws ShipException {@link ShipException.Reason#RELOAD_NEEDED} when it must reload first
   */
  private DeltaBatch answer(String requester, PullRequest pull, int limit, boolean again) {
    try {
      return next(requester, pull, limit, again);
    } catch (ReloadNeededException e) {
      throw new ShipException(ShipException.Reason.RELOAD_NEEDED, e.getMessage(), e);
    }
  }

  private DeltaBatch next(String requester, PullRequest pull, int limit, boolean again) {
    SyncNode node = component.node();
    if (component.feedHeld(requester)) {
      if (!again) {
        node.store().markPushed(requester, pull.afterSeq());
      }
      return new DeltaBatch(
          node.nodeId(), DeltaIds.next(), pull.afterSeq(), pull.afterSeq(), List.of());
    }
    String incarnation =
        pull.incarnation() == null || pull.incarnation().isEmpty() ? null : pull.incarnation();
    if (again) {
      return node.fetchAgain(
          requester, pull.afterSeq(), limit, incarnation, pull.incarnation() != null);
    }
    return pull.incarnation() == null
        ? node.fetch(requester, pull.afterSeq(), limit)
        : node.fetch(requester, pull.afterSeq(), limit, incarnation);
  }

  /**
   * Whether the answer would tell the requester nothing: no deltas, no pointer moved, and no
   * incarnation it does not know yet.
   */
  private static boolean nothingNew(DeltaBatch batch, PullRequest pull) {
    return batch.deltas().isEmpty()
        && batch.afterSeq() == pull.afterSeq()
        && batch.upToSeq() == pull.afterSeq()
        && (batch.incarnation() == null || batch.incarnation().id().equals(pull.incarnation()));
  }

  /** Holds the request until there is something new for the requester, or the wait ends. */
  private DeltaBatch hold(
      Exchange exchange,
      String requester,
      String from,
      PullRequest pull,
      int limit,
      long seen,
      long wait,
      DeltaBatch empty,
      HubReloads reloads) {
    long start = System.nanoTime();
    long end = start + TimeUnit.MILLISECONDS.toNanos(wait);
    long nextContact = start + TimeUnit.MILLISECONDS.toNanos(CONTACT_EVERY_MILLIS);
    DeltaBatch batch = empty;
    try {
      while (nothingNew(batch, pull)
          && tablesDue(reloads, requester).isEmpty()
          && running(exchange)) {
        long now = System.nanoTime();
        if (now - end >= 0) {
          break;
        }
        if (now - nextContact >= 0) {
          component.contacts().contacted(requester, from);
          nextContact = now + TimeUnit.MILLISECONDS.toNanos(CONTACT_EVERY_MILLIS);
          // another process on this database (a second hub member) raises no signal here
          seen = signal.generation();
          batch = answer(requester, pull, limit, true);
          continue;
        }
        long slice = Math.min(end - now, TimeUnit.MILLISECONDS.toNanos(STOP_CHECK_MILLIS));
        if (signal.await(seen, slice, TimeUnit.NANOSECONDS)) {
          seen = signal.generation();
          batch = answer(requester, pull, limit, true);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return batch;
  }

  /** Whether this producer and the route's consumer still run (a stop ends every hold). */
  private boolean running(Exchange exchange) {
    if (!isRunAllowed() || exchange.getContext().isStopping()) {
      return false;
    }
    Route route =
        exchange.getFromRouteId() == null
            ? null
            : exchange.getContext().getRoute(exchange.getFromRouteId());
    return route == null
        || !(route.getConsumer() instanceof StatefulService consumer)
        || (consumer.isRunAllowed() && !consumer.isSuspending() && !consumer.isSuspended());
  }

  @Override
  protected void doStop() throws Exception {
    signal.raise(); // held requests see the stop at once
    super.doStop();
  }
}
