package io.deltasync.ship;

import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.DeltaIds;
import io.deltasync.node.SyncNode;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Both ends of a rewind over a queue or a folder, where no answer goes back on the connection: the
 * receiver that refused a batch as out of order asks its sender to resume from its {@code
 * lastProcessed}; the sender moves its {@code lastPushed} back there, and never forward.
 *
 * <p>Why dropping the refused batch loses nothing: every delta in it has a seq above the batch's
 * {@code afterSeq}, which is above the receiver's {@code lastProcessed}; once the rewind is applied
 * the sender sends everything after {@code lastProcessed} again, those deltas included, in order.
 * Why nothing applies twice: re-sent deltas the receiver already has are skipped by seq and by id.
 * A rewind that is lost, late or applied twice is harmless: the sender's next batch to a receiver
 * that is still behind is refused and asks again; one that arrives after the sender caught up only
 * makes it send again what the receiver skips.
 */
final class Rewinding {

  private static final Logger LOG = LoggerFactory.getLogger(Rewinding.class);

  private Rewinding() {}

  /**
   * Receiver side: replaces the message with a signed rewind for the refused batch's sender, and
   * marks the exchange ({@link ShipHeaders#REWIND}) for the route to send it.
   */
  static void ask(
      DeltaSyncComponent component, Exchange exchange, DeltaBatch refused, long lastProcessed) {
    SyncNode node = component.node();
    String sender = refused.sender();
    Rewind rewind = new Rewind(lastProcessed, refused.batchId(), refused.afterSeq());
    String id = DeltaIds.next();
    Envelope envelope =
        Envelope.owning(Envelope.Type.REWIND, node.nodeId(), sender, id, rewind.encode());
    Message message = exchange.getMessage();
    message.removeHeaders("DeltaSync*");
    message.setBody(Envelopes.seal(envelope, component.secrets().require(sender)));
    message.setHeader(Exchange.CONTENT_TYPE, Envelopes.CONTENT_TYPE);
    message.setHeader(ShipHeaders.SENDER, node.nodeId());
    message.setHeader(ShipHeaders.RECIPIENT, sender);
    message.setHeader(ShipHeaders.BATCH_ID, id);
    message.setHeader(ShipHeaders.LAST_PROCESSED, lastProcessed);
    message.setHeader(ShipHeaders.FILE_NAME, node.nodeId() + "-rewind-" + id + ".dsync");
    exchange.setProperty(ShipHeaders.REWIND, true);
    component.counters().rewindSent();
    LOG.warn(
        "Dropped batch {} from {}: it continues from seq {}, but {} has processed only up to seq {}"
            + " (it lost batches it had acknowledged, e.g. restored from a backup); asking {} to"
            + " send again from seq {}",
        refused.batchId(),
        sender,
        refused.afterSeq(),
        node.nodeId(),
        lastProcessed,
        sender,
        lastProcessed);
  }

  /**
   * Sender side: moves this node's {@code lastPushed} for the peer back to where the peer says it
   * is, if that is behind; ignores a rewind that would move it forward. Replies with a small
   * acknowledgement: {@code {"receiver":…,"sender":…,"rewound":…,"lastPushed":…}}.
   */
  static void apply(DeltaSyncComponent component, Exchange exchange, Envelope envelope) {
    SyncNode node = component.node();
    String peer = envelope.sender();
    Rewind rewind = Rewind.decode(envelope.payloadView());
    long lastPushed = node.store().pointers(peer).lastPushed();
    boolean applied = rewind.lastProcessed() < lastPushed;
    if (applied) {
      LOG.warn(
          "{} has processed only up to seq {}, behind the seq {} it acknowledged (it refused batch"
              + " {}, which continued from seq {}); sending to it again from seq {}",
          peer,
          rewind.lastProcessed(),
          lastPushed,
          rewind.refusedBatch(),
          rewind.refusedAfterSeq(),
          rewind.lastProcessed());
      node.store().resetPushed(peer, rewind.lastProcessed());
      component.counters().rewindApplied();
    } else {
      LOG.info(
          "Ignored a rewind from {} to seq {}: {} has sent it only up to seq {}, and a rewind"
              + " never moves a pointer forward",
          peer,
          rewind.lastProcessed(),
          node.nodeId(),
          lastPushed);
      component.counters().rewindIgnored();
    }
    component.contacts().contacted(peer, Receiving.from(exchange));
    exchange.getMessage().removeHeaders("DeltaSync*");
    exchange
        .getMessage()
        .setBody(
            ("{\"receiver\":\""
                    + node.nodeId()
                    + "\",\"sender\":\""
                    + peer
                    + "\",\"rewound\":"
                    + applied
                    + ",\"lastPushed\":"
                    + (applied ? rewind.lastProcessed() : lastPushed)
                    + "}")
                .getBytes(StandardCharsets.UTF_8));
    exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
  }
}
