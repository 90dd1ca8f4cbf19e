package io.deltasync.ship;

import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.DeltaCodec;
import io.deltasync.delta.DeltaIds;
import io.deltasync.node.SyncNode;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code deltasync:feed}: answers a signed pull request with a signed batch of this node's deltas
 * for the requester, after the seq it asked from (asking acknowledges everything up to it). The
 * batch holds at most the smaller of the request's limit and {@code max-batch-deltas}. While the
 * feed for the requester is held ({@link DeltaSyncComponent#holdFeed}) the batch is empty; after
 * {@link SyncNode#rewindFeed} it starts at the rewound seq.
 */
final class FeedProducer extends DefaultProducer {

  private final DeltaSyncComponent component;

  FeedProducer(DeltaSyncEndpoint endpoint) {
    super(endpoint);
    this.component = endpoint.getComponent();
  }

  @Override
  public void process(Exchange exchange) {
    Envelope request;
    PullRequest pull;
    try {
      request = Receiving.open(component, exchange, Envelope.Type.PULL);
      pull = PullRequest.decode(request.payload());
    } catch (ShipException e) {
      Receiving.refused(component, exchange, e);
      throw e;
    }
    SyncNode node = component.node();
    String requester = request.sender();
    int limit = Math.min(pull.limit(), component.limits().maxBatchDeltas());
    DeltaBatch batch;
    if (component.feedHeld(requester)) {
      node.store().markPushed(requester, pull.afterSeq());
      batch =
          new DeltaBatch(
              node.nodeId(), DeltaIds.next(), pull.afterSeq(), pull.afterSeq(), List.of());
    } else {
      batch =
          pull.incarnation() == null
              ? node.fetch(requester, pull.afterSeq(), limit)
              : node.fetch(
                  requester,
                  pull.afterSeq(),
                  limit,
                  pull.incarnation().isEmpty() ? null : pull.incarnation());
    }
    Envelope answer =
        new Envelope(
            Envelope.Type.BATCH,
            node.nodeId(),
            requester,
            batch.batchId(),
            DeltaCodec.encodeBatch(batch));
    component.contacts().contacted(requester, Receiving.from(exchange));
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
  }
}
