package io.deltasync.ship;

import io.deltasync.delta.DeltaIds;
import io.deltasync.node.SyncNode;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * {@code deltasync:pull?peer=P}: each exchange carries a signed request for P's deltas after this
 * node's {@code lastProcessed} for P. The route sends it to P's feed and hands the answer to {@code
 * deltasync:inbox}, which applies it; the consumer asks again while the pointer keeps moving.
 *
 * <p>With {@code wait}, the request asks P to hold it up to that long while P has nothing new (a
 * long poll), so a delta committed at P arrives at once. An empty answer that P evidently held (it
 * took at least half the wait, or half a second) is followed by the next request at once; an empty
 * answer that came back sooner (P holds no pulls, or no more now) by the next after {@code delay}.
 * With several peers the consumer asks each to answer at once, since it pulls them in turn.
 * Suspending or stopping the consumer aborts the pull in flight (see {@link PullAbort}).
 */
final class PullConsumer extends ShippingConsumer {

  /** An empty answer that took this long was held by the peer: ask again at once. */
  private static final long HELD_AT_LEAST_MILLIS = 500;

  private final PullAbort.InFlight inFlight = new PullAbort.InFlight();
  private final TableReloadsAsked tableReloads;

  PullConsumer(DeltaSyncEndpoint endpoint, Processor processor) {
    super(endpoint, processor);
    this.tableReloads = new TableReloadsAsked(endpoint.getComponent().node().nodeId());
  }

  @Override
  protected void doStart() throws Exception {
    inFlight.reset();
    super.doStart();
  }

  @Override
  protected void doSuspend() throws Exception {
    inFlight.abort(); // the peer may hold the pull for up to wait: do not wait for it
    super.doSuspend();
  }

  @Override
  protected void doResume() throws Exception {
    inFlight.reset();
    super.doResume();
  }

  @Override
  protected void doStop() throws Exception {
    inFlight.abort();
    super.doStop();
  }

  @Override
  protected void doShutdown() throws Exception {
    tableReloads.close();
    super.doShutdown();
  }

  @Override
  protected String describe(String peer) {
    return "Pulling from " + peer + " (route " + getRouteId() + ")";
  }

  @Override
  protected Attempt attempt(String peer) {
    DeltaSyncEndpoint endpoint = getEndpoint();
    DeltaSyncComponent component = endpoint.getComponent();
    Attempt loaded = InitialLoads.beforePull(this, peer);
    if (loaded != null) {
      return loaded;
    }
    SyncNode node = component.node();
    long before = node.store().pointers(peer).lastProcessed();
    String known = known(node, peer);
    String requestId = DeltaIds.next();
    long wait = endpoint.peers().size() == 1 ? endpoint.getWait() : 0;
    List<PullRequest.TableReloadEnd> ended = tableReloads.ends(peer);
    Envelope envelope =
        Envelope.owning(
            Envelope.Type.PULL,
            node.nodeId(),
            peer,
            requestId,
            new PullRequest(before, endpoint.getBatchSize(), wait, known, ended).encode());
    Exchange exchange = endpoint.createExchange();
    Message message = exchange.getIn();
    message.setBody(Envelopes.seal(envelope, component.secrets().require(peer)));
    message.setHeader(Exchange.CONTENT_TYPE, Envelopes.CONTENT_TYPE);
    message.setHeader(ShipHeaders.SENDER, node.nodeId());
    message.setHeader(ShipHeaders.RECIPIENT, peer);
    message.setHeader(ShipHeaders.BATCH_ID, requestId);
    message.setHeader(ShipHeaders.AFTER_SEQ, before);
    long started = System.nanoTime();
    Throwable failure = inFlight.around(() -> send(exchange));
    if (failure != null) {
      // aborted because the consumer stops: not a failure of the peer, and asked again on start
      if (inFlight.aborted()) {
        return Attempt.IDLE;
      }
      // the peer says this node must reload first: the next attempt does, or waits for an operator
      return InitialLoads.reloadNeeded(this, peer, failure)
          ? Attempt.PROGRESS
          : Attempt.failed(failure);
    }
    component.contacts().contacted(peer, null);
    tableReloads.reported(peer, ended);
    tableReloads.heard(
        endpoint.getCamelContext(),
        exchange.getMessage(),
        peer,
        requestId,
        component.secrets().require(peer));
    // moved back too when this node re-based the peer's stream: ask again from there at once; and
    // a peer answers at once a pull that does not name its incarnation: ask again, now naming it
    if (node.store().pointers(peer).lastProcessed() != before || !known.equals(known(node, peer))) {
      return Attempt.PROGRESS;
    }
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    return wait > 0 && tookMillis >= Math.min(wait / 2, HELD_AT_LEAST_MILLIS)
        ? Attempt.AGAIN
        : Attempt.IDLE;
  }

  /** The peer's incarnation this node's pointer counts in, "" when it knows none. */
  private static String known(SyncNode node, String peer) {
    String known = node.store().peerIncarnation(peer);
    return known == null ? "" : known;
  }
}
