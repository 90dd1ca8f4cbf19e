package io.deltasync.ship;

import io.deltasync.delta.DeltaIds;
import io.deltasync.node.SyncNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * {@code deltasync:pull?peer=P}: each exchange carries a signed request for P's deltas after this
 * node's {@code lastProcessed} for P. The route sends it to P's feed and hands the answer to {@code
 * deltasync:inbox}, which applies it; the consumer asks again while the pointer keeps moving.
 */
final class PullConsumer extends ShippingConsumer {

  PullConsumer(DeltaSyncEndpoint endpoint, Processor processor) {
    super(endpoint, processor);
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
    String requestId = DeltaIds.next();
    Envelope envelope =
        new Envelope(
            Envelope.Type.PULL,
            node.nodeId(),
            peer,
            requestId,
            new PullRequest(before, endpoint.getBatchSize(), known(node, peer)).encode());
    Exchange exchange = endpoint.createExchange();
    Message message = exchange.getIn();
    message.setBody(Envelopes.seal(envelope, component.secrets().require(peer)));
    message.setHeader(Exchange.CONTENT_TYPE, Envelopes.CONTENT_TYPE);
    message.setHeader(ShipHeaders.SENDER, node.nodeId());
    message.setHeader(ShipHeaders.RECIPIENT, peer);
    message.setHeader(ShipHeaders.BATCH_ID, requestId);
    message.setHeader(ShipHeaders.AFTER_SEQ, before);
    Throwable failure = send(exchange);
    if (failure != null) {
      return Attempt.failed(failure);
    }
    component.contacts().contacted(peer, null);
    // moved back too when this node re-based the peer's stream: ask again from there at once
    return node.store().pointers(peer).lastProcessed() != before ? Attempt.PROGRESS : Attempt.IDLE;
  }

  /** The peer's incarnation this node's pointer counts in, "" when it knows none. */
  private static String known(SyncNode node, String peer) {
    String known = node.store().peerIncarnation(peer);
    return known == null ? "" : known;
  }
}
