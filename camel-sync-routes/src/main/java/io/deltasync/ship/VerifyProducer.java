package io.deltasync.ship;

import io.deltasync.node.SyncNode;
import io.deltasync.verify.HubVerifier;
import io.deltasync.verify.VerifyException;
import java.sql.SQLException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code deltasync:verify}: answers a peer's signed verify request (see {@link VerifyRequest}) with
 * a signed {@link Envelope.Type#VERIFY} envelope holding the hub's checksums, the rows of a range
 * or a page of rows ({@link VerifyJson}), or which of the asked keys it holds, read by the {@link
 * HubVerifier} in the Camel registry. Only peers with a secret are answered; a table the node does
 * not replicate, or one without a primary key, is refused as {@link
 * ShipException.Reason#REFUSED_VERIFY}. Read-only: it changes no table and no pointer.
 */
final class VerifyProducer extends DefaultProducer {

  private final DeltaSyncComponent component;

  VerifyProducer(DeltaSyncEndpoint endpoint) {
    super(endpoint);
    this.component = endpoint.getComponent();
  }

  @Override
  public void process(Exchange exchange) {
    Envelope request;
    byte[] answer;
    try {
      request = Receiving.open(component, exchange, Envelope.Type.VERIFY);
      answer = answer(exchange, request);
    } catch (ShipException e) {
      Receiving.refused(component, exchange, e);
      throw e;
    }
    String requester = request.sender();
    SyncNode node = component.node();
    Envelope envelope =
        Envelope.owning(Envelope.Type.VERIFY, node.nodeId(), requester, request.id(), answer);
    Message message = exchange.getMessage();
    message.setBody(Envelopes.seal(envelope, component.secrets().require(requester)));
    message.setHeader(Exchange.CONTENT_TYPE, Envelopes.CONTENT_TYPE);
    message.setHeader(ShipHeaders.SENDER, node.nodeId());
    message.setHeader(ShipHeaders.RECIPIENT, requester);
  }

  /**
   * The answer's payload to an opened verify request, also for {@code deltasync:load} and {@code
   * deltasync:inbox}, which take them from clients that verify through a queue or a folder; throws
   * the refusal (MALFORMED, REFUSED_VERIFY), not yet logged.
   */
  static byte[] answer(Exchange exchange, Envelope request) {
    VerifyRequest ask = VerifyRequest.decode(request.payloadView());
    HubVerifier verifier = exchange.getContext().getRegistry().findSingleByType(HubVerifier.class);
    if (verifier == null) {
      throw new IllegalStateException("this node has no HubVerifier bean: it answers no verify");
    }
    String requester = request.sender();
    try {
      return switch (ask.op()) {
        case CHECKSUMS ->
            VerifyJson.encode(verifier.checksums(requester, ask.table(), ask.ranges()));
        case ROWS -> VerifyJson.encode(verifier.rows(requester, ask.table(), ask.ranges().get(0)));
        case PAGE ->
            VerifyJson.encode(
                verifier.page(requester, ask.table(), ask.ranges().get(0).after(), ask.limit()));
        case HELD -> LoadJson.encodeHeld(verifier.held(requester, ask.table(), ask.keys()));
      };
    } catch (VerifyException e) {
      if (e.getCause() instanceof SQLException) {
        throw e; // the hub's database, not the request: try again later
      }
      throw new ShipException(ShipException.Reason.REFUSED_VERIFY, e.getMessage());
    }
  }
}
