package io.deltasync.ship;

import io.deltasync.delta.DeltaIds;
import io.deltasync.delta.internal.LogText;
import io.deltasync.load.Loader;
import io.deltasync.node.SyncNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Both ends of a reload notice over a queue or a folder, where a peer that must reload cannot be
 * told so in the answer to its pull (HTTP's 410). The sender (a hub that purged deltas the peer had
 * not acknowledged, see {@code ds_reload}) sends the peer no batch until the peer has reloaded: the
 * next one would continue past deltas the peer never got. Instead its outbox sends a signed notice
 * naming the gap, again at each of the stream's backed-off attempts. The receiver notes it with its
 * {@link Loader} for that sender (which reloads, or holds for an operator, by its {@code
 * deltasync.load.reload} setting, as after a 410), or, without one, logs an error saying what to
 * do.
 */
final class Reloading {

  private static final Logger LOG = LoggerFactory.getLogger(Reloading.class);

  /**
   * Per receiver and sender: the last reason logged without a loader, so a repeated notice is not
   * logged again.
   */
  private static final Map<String, String> LOGGED = new ConcurrentHashMap<>();

  private Reloading() {}

  /** Sender side: makes the exchange a signed notice to the peer that it must reload first. */
  static void notice(DeltaSyncComponent component, Exchange exchange, String peer, String reason) {
    SyncNode node = component.node();
    String id = DeltaIds.next();
    Envelope envelope =
        Envelope.owning(
            Envelope.Type.RELOAD, node.nodeId(), peer, id, reason.getBytes(StandardCharsets.UTF_8));
    Message message = exchange.getIn();
    message.setBody(Envelopes.seal(envelope, component.secrets().require(peer)));
    message.setHeader(Exchange.CONTENT_TYPE, Envelopes.CONTENT_TYPE);
    message.setHeader(ShipHeaders.SENDER, node.nodeId());
    message.setHeader(ShipHeaders.RECIPIENT, peer);
    message.setHeader(ShipHeaders.BATCH_ID, id);
    message.setHeader(ShipHeaders.FILE_NAME, node.nodeId() + "-reload-" + id + ".dsync");
  }

  /**
   * Receiver side: notes that this node must reload from the notice's sender. Replies with a small
   * acknowledgement: {@code {"receiver":…,"sender":…,"reload":true|false}}, false when this node
   * has no loader for that sender.
   */
  static void noted(DeltaSyncComponent component, Exchange exchange, Envelope envelope) {
    String sender = envelope.sender();
    String reason = new String(envelope.payloadView(), StandardCharsets.UTF_8);
    Loader loader = InitialLoads.loaderThatCanRun(exchange.getContext(), sender);
    boolean noted = loader != null;
    if (noted) {
      loader.reloadNeeded(reason); // logs the gap once, then reloads or holds
    } else if (!reason.equals(LOGGED.put(component.node().nodeId() + "<" + sender, reason))) {
      LOG.error(
          "{} says {} must reload from it before it sends anything more: {}. {} has no loader for"
              + " {} (deltasync.node.upstream, with an HTTP pull route and"
              + " deltasync.ship.upstream-url, or a deltasync-jms-load or deltasync-file-load route):"
              + " reload its"
              + " replicated tables from {} by hand, then delete the ds_reload row on {}",
          sender,
          component.node().nodeId(),
          LogText.of(reason),
          component.node().nodeId(),
          sender,
          sender,
          sender);
    }
    component.contacts().contacted(sender, Receiving.from(exchange));
    Message message = exchange.getMessage();
    message.removeHeaders("DeltaSync*");
    message.setBody(
        ("{\"receiver\":\""
                + component.node().nodeId()
                + "\",\"sender\":\""
                + sender
                + "\",\"reload\":"
                + noted
                + "}")
            .getBytes(StandardCharsets.UTF_8));
    message.setHeader(Exchange.CONTENT_TYPE, "application/json");
  }
}
