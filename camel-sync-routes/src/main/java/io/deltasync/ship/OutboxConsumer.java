package io.deltasync.ship;

import io.deltasync.apply.OutOfOrderBatchException;
import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.DeltaCodec;
import io.deltasync.load.ReloadNeededException;
import io.deltasync.node.SyncNode;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code deltasync:outbox?peer=P}: each exchange carries the next batch for P as a signed envelope;
 * P's {@code lastPushed} moves to the batch's end only when the exchange completes without any
 * error, even a handled one. At least once, in seq order.
 *
 * <p>When the peer answers HTTP 409 with {@code DeltaSyncLastProcessed} (it lost batches it had
 * acknowledged, e.g. restored from a backup), the pointer goes back there and sending resumes. Over
 * queues and folders the peer says so in a rewind envelope instead (see {@link Rewinding}); a
 * pointer moved back while a batch was on its way is not moved forward by that batch.
 */
final class OutboxConsumer extends ShippingConsumer {

  private static final Logger LOG = LoggerFactory.getLogger(OutboxConsumer.class);

  /** Per peer: the start of the batch without deltas being held, and since when (nanoTime). */
  private final Map<String, long[]> heldEmpty = new ConcurrentHashMap<>();

  OutboxConsumer(DeltaSyncEndpoint endpoint, Processor processor) {
    super(endpoint, processor);
  }

  @Override
  protected String describe(String peer) {
    return "Pushing to " + peer + " (route " + getRouteId() + ")";
  }

  @Override
  protected Attempt attempt(String peer) {
    DeltaSyncEndpoint endpoint = getEndpoint();
    DeltaSyncComponent component = endpoint.getComponent();
    SyncNode node = component.node();
    Optional<DeltaBatch> next;
    try {
      node.requireNoReloadFor(peer);
      next = node.nextBatchFor(peer, endpoint.getBatchSize());
    } catch (ReloadNeededException e) {
      return noticeOfReload(peer, e);
    }
    if (next.isEmpty()) {
      return Attempt.IDLE;
    }
    DeltaBatch batch = next.get();
    if (holdsBack(peer, batch)) {
      return Attempt.IDLE;
    }
    Exchange exchange = endpoint.createExchange();
    Message message = exchange.getIn();
    Envelope envelope =
        Envelope.owning(
            Envelope.Type.BATCH,
            node.nodeId(),
            peer,
            batch.batchId(),
            DeltaCodec.encodeBatch(batch));
    message.setBody(Envelopes.seal(envelope, component.secrets().require(peer)));
    message.setHeader(Exchange.CONTENT_TYPE, Envelopes.CONTENT_TYPE);
    message.setHeader(ShipHeaders.SENDER, node.nodeId());
    message.setHeader(ShipHeaders.RECIPIENT, peer);
    message.setHeader(ShipHeaders.BATCH_ID, batch.batchId());
    message.setHeader(ShipHeaders.AFTER_SEQ, batch.afterSeq());
    message.setHeader(ShipHeaders.UP_TO_SEQ, batch.upToSeq());
    message.setHeader(ShipHeaders.DELTA_COUNT, batch.deltas().size());
    message.setHeader(
        ShipHeaders.FILE_NAME,
        String.format("%s-%019d-%s.dsync", node.nodeId(), batch.upToSeq(), batch.batchId()));
    Throwable failure = send(exchange);
    if (failure != null) {
      Optional<Long> resumeAt = resumePoint(failure);
      if (resumeAt.isPresent() && resumeAt.get() < batch.afterSeq()) {
        LOG.warn(
            "{} has processed only up to seq {}, behind what it acknowledged; sending again from"
                + " there",
            peer,
            resumeAt.get());
        node.store().resetPushed(peer, resumeAt.get());
        return Attempt.PROGRESS;
      }
      return Attempt.failed(failure);
    }
    component.counters().sent(batch.deltas().size());
    component.contacts().contacted(peer, null);
    if (node.store().pointers(peer).lastPushed() < batch.afterSeq()) {
      // a rewind (or an operator's re-send) moved the pointer back while the batch was on its way:
      // moving it forward now would undo that; the next batch starts from where it was set
      LOG.info(
          "{}'s lastPushed was moved back while batch {} was on its way; not moving it forward",
          peer,
          batch.batchId());
    } else {
      node.store().markPushed(peer, batch.upToSeq());
    }
    return batch.deltas().size() < endpoint.getBatchSize() ? Attempt.CAUGHT_UP : Attempt.PROGRESS;
  }

  /**
   * The peer must reload from this node before it gets another batch: sends it a notice instead
   * (see {@link Reloading}), and fails the attempt, so the stream backs off and the first failure
   * is logged with the reason.
   */
  private Attempt noticeOfReload(String peer, ReloadNeededException reload) {
    Exchange exchange = getEndpoint().createExchange();
    Reloading.notice(getEndpoint().getComponent(), exchange, peer, reload.getMessage());
    Throwable failure = send(exchange);
    if (failure != null) {
      reload.addSuppressed(failure);
    }
    return Attempt.failed(reload);
  }

  /**
   * Whether to hold back a batch without deltas for now (see {@link
   * DeltaSyncEndpoint#getEmptyBatchHold()}); one that spans a whole batch's worth of seqs goes at
   * once, so the next read does not scan it again.
   */
  private boolean holdsBack(String peer, DeltaBatch batch) {
    long hold = getEndpoint().getEmptyBatchHold();
    if (!batch.deltas().isEmpty()
        || hold == 0
        || batch.upToSeq() - batch.afterSeq() >= getEndpoint().getBatchSize()) {
      heldEmpty.remove(peer);
      return false;
    }
    long now = System.nanoTime();
    long[] held = heldEmpty.get(peer);
    if (held == null || held[0] != batch.afterSeq()) {
      held = new long[] {batch.afterSeq(), now};
      heldEmpty.put(peer, held);
    }
    long waited = TimeUnit.NANOSECONDS.toMillis(now - held[1]);
    if (waited >= hold) {
      heldEmpty.remove(peer);
      return false;
    }
    pollAgainWithin(hold - waited);
    return true;
  }

  /** Where the peer says it is, when it refused the batch as out of order. */
  private static Optional<Long> resumePoint(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof OutOfOrderBatchException out) {
        return Optional.of(out.lastProcessed());
      }
      if (t instanceof HttpOperationFailedException http && http.getStatusCode() == 409) {
        String header =
            http.getResponseHeaders() == null
                ? null
                : http.getResponseHeaders().get(ShipHeaders.LAST_PROCESSED);
        if (header != null) {
          try {
            return Optional.of(Long.parseLong(header.trim()));
          } catch (NumberFormatException e) {
            return Optional.empty();
          }
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return Optional.empty();
  }
}
