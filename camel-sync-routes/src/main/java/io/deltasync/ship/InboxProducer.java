package io.deltasync.ship;

import static io.deltasync.ship.ShipException.Reason.MALFORMED;
import static io.deltasync.ship.ShipException.Reason.REFUSED_DELTA;
import static io.deltasync.ship.ShipException.Reason.TOO_LARGE;

import io.deltasync.apply.ApplyResult;
import io.deltasync.apply.OutOfOrderBatchException;
import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.DeltaCodec;
import io.deltasync.delta.DeltaFormatException;
import io.deltasync.delta.internal.LogText;
import io.deltasync.node.SyncNode;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code deltasync:inbox}: opens a signed batch envelope, checks it, and applies it.
 *
 * <p>The envelope must be addressed to this node and signed by a known peer; the batch inside must
 * be well-formed, within the limits, and every delta must pass validation, or the whole batch is
 * refused with a {@link ShipException} and nothing of it is applied; a delta that fails validation
 * is kept as a {@code QUARANTINED} dead letter ({@link io.deltasync.apply.DeltaApplier#screen}),
 * and once an operator skips it the batch, sent again, applies without it. An accepted batch is
 * applied in one transaction (deltas already applied are skipped) and the reply body is the
 * acknowledgement: {@code {"receiver":…,"sender":…,"batchId":…,"applied":…,"skipped":…,
 * "quarantined":…,"lastProcessed":…}}. A batch that skips one not yet processed fails with {@code
 * OutOfOrderBatchException}, and the reply header {@code DeltaSyncLastProcessed} says where to
 * resume; with {@code outOfOrder=rewind} (queues and folders, where no reply reaches the sender)
 * the route retries it in place {@code rewindAfter} times (its predecessor may still be on its
 * way), then the batch is dropped and the message becomes a signed rewind for its sender, which the
 * route sends (see {@link Rewinding}).
 *
 * <p>With {@code outOfOrder=rewind} the inbox also takes {@link Envelope.Type#REWIND} envelopes:
 * one from a peer, checked like any envelope, moves this node's {@code lastPushed} for that peer
 * back to where the peer says it is, never forward; and {@link Envelope.Type#RELOAD} notices, from
 * a sender that will send nothing more until this node reloads from it (see {@link Reloading}); and
 * {@link Envelope.Type#LOAD} and {@link Envelope.Type#VERIFY} requests from a peer that loads and
 * verifies through a folder, answered as a file for its folder (see {@link
 * LoadProducer#answerInFolder}). The HTTP inbox refuses them all (400): over HTTP the 409 and 410
 * answers and the load and verify endpoints do their work.
 */
final class InboxProducer extends DefaultProducer {

  private static final Logger LOG = LoggerFactory.getLogger(InboxProducer.class);

  private final DeltaSyncComponent component;
  private final boolean rewinds;
  private final int rewindAfter;

  InboxProducer(DeltaSyncEndpoint endpoint) {
    super(endpoint);
    this.component = endpoint.getComponent();
    this.rewinds = endpoint.rewindsOutOfOrder();
    this.rewindAfter = endpoint.getRewindAfter();
  }

  @Override
  public void process(Exchange exchange) {
    SyncNode node = component.node();
    DeltaBatch batch;
    try {
      Envelope envelope =
          rewinds
              ? Receiving.open(
                  component,
                  exchange,
                  Envelope.Type.BATCH,
                  Envelope.Type.REWIND,
                  Envelope.Type.RELOAD,
                  Envelope.Type.LOAD,
                  Envelope.Type.VERIFY)
              : Receiving.open(component, exchange, Envelope.Type.BATCH);
      if (envelope.type() == Envelope.Type.REWIND) {
        Rewinding.apply(component, exchange, envelope);
        return;
      }
      if (envelope.type() == Envelope.Type.RELOAD) {
        Reloading.noted(component, exchange, envelope);
        return;
      }
      if (envelope.type() == Envelope.Type.LOAD || envelope.type() == Envelope.Type.VERIFY) {
        LoadProducer.answerInFolder(component, exchange, envelope);
        return;
      }
      batch = decode(envelope);
    } catch (ShipException e) {
      Receiving.refused(component, exchange, e);
      throw e;
    }
    InitialLoads.beforeApply(exchange.getContext(), batch);
    ApplyResult result;
    try {
      result = node.receive(batch);
    } catch (OutOfOrderBatchException e) {
      // the route's error handler counts its redeliveries; a forged count could only make this
      // node ask sooner, which costs its sender a re-send, never a delta
      if (rewinds
          && exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class)
              >= rewindAfter) {
        Rewinding.ask(component, exchange, batch, e.lastProcessed());
        return;
      }
      exchange.getMessage().setHeader(ShipHeaders.LAST_PROCESSED, e.lastProcessed());
      LOG.warn("{}", LogText.of(e.getMessage()));
      throw e;
    }
    component.counters().received(result.applied());
    component.contacts().contacted(batch.sender(), Receiving.from(exchange));
    exchange.getMessage().setBody(acknowledgement(result));
    exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
    exchange.getMessage().setHeader(ShipHeaders.LAST_PROCESSED, result.lastProcessed());
  }

  private DeltaBatch decode(Envelope envelope) {
    DeltaBatch batch;
    try {
      batch = DeltaCodec.decodeBatch(envelope.payloadView());
    } catch (DeltaFormatException e) {
      throw new ShipException(
          MALFORMED,
          "malformed batch " + envelope.id() + " from " + envelope.sender() + ": " + e.getMessage(),
          e);
    }
    if (!batch.sender().equals(envelope.sender()) || !batch.batchId().equals(envelope.id())) {
      throw new ShipException(
          MALFORMED,
          "malformed batch: the envelope is "
              + envelope.id()
              + " from "
              + envelope.sender()
              + " but the batch inside is "
              + batch.batchId()
              + " from "
              + batch.sender());
    }
    int max = component.limits().maxBatchDeltas();
    if (batch.deltas().size() > max) {
      throw new ShipException(
          TOO_LARGE,
          "batch "
              + batch.batchId()
              + " from "
              + batch.sender()
              + " holds "
              + batch.deltas().size()
              + " deltas, more than the "
              + max
              + " this node accepts (deltasync.ship.max-batch-deltas)");
    }
    Optional<String> problem = component.node().applier().screen(batch);
    if (problem.isPresent()) {
      throw new ShipException(
          REFUSED_DELTA,
          "batch "
              + batch.batchId()
              + " from "
              + batch.sender()
              + " refused: "
              + problem.get()
              + "; nothing of the batch was applied, and "
              + component.node().nodeId()
              + " holds the refused delta as a dead letter until an operator skips or retries it");
    }
    return batch;
  }

  private static byte[] acknowledgement(ApplyResult result) {
    return ("{\"receiver\":\""
            + result.receiver()
            + "\",\"sender\":\""
            + result.sender()
            + "\",\"batchId\":\""
            + result.batchId()
            + "\",\"applied\":"
            + result.applied()
            + ",\"skipped\":"
            + result.skipped()
            + ",\"quarantined\":"
            + result.quarantined()
            + ",\"conflicts\":"
            + result.conflicts()
            + ",\"lastProcessed\":"
            + result.lastProcessed()
            + "}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
