package io.deltasync.ship;

import io.deltasync.load.HubSnapshots;
import io.deltasync.load.LoadException;
import io.deltasync.load.LoadSessionLostException;
import io.deltasync.node.SyncNode;
import java.sql.SQLException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code deltasync:load}: answers a peer's signed initial-load request (see {@link LoadRequest})
 * with a signed {@link Envelope.Type#LOAD} envelope holding the opened snapshot or a chunk's rows
 * ({@link LoadJson}), read by the {@link HubSnapshots} in the Camel registry. Only peers with a
 * secret are answered; a table the hub does not replicate, or one without a primary key, is refused
 * as {@link ShipException.Reason#REFUSED_LOAD}, a snapshot the hub no longer holds as {@link
 * ShipException.Reason#LOAD_GONE}. Read-only but for a reverse load's chunk, which the hub applies
 * for the envelope's sender, the node its signature proved, within the tables and columns it
 * replicates ({@link HubSnapshots#reverse}); a refused chunk is {@link
 * ShipException.Reason#REFUSED_LOAD} with the hub's reason.
 */
final class LoadProducer extends DefaultProducer {

  private final DeltaSyncComponent component;

  LoadProducer(DeltaSyncEndpoint endpoint) {
    super(endpoint);
    this.component = endpoint.getComponent();
  }

  @Override
  public void process(Exchange exchange) {
    Envelope request;
    LoadRequest ask;
    try {
      request = Receiving.open(component, exchange, Envelope.Type.LOAD);
      ask = LoadRequest.decode(request.payloadView());
    } catch (ShipException e) {
      Receiving.refused(component, exchange, e);
      throw e;
    }
    HubSnapshots snapshots =
        exchange.getContext().getRegistry().findSingleByType(HubSnapshots.class);
    if (snapshots == null) {
      throw new IllegalStateException("this node has no HubSnapshots bean: it serves no load");
    }
    String requester = request.sender();
    byte[] answer;
    try {
      answer =
          switch (ask.op()) {
            case OPEN -> LoadJson.encode(snapshots.open(requester, ask.tables()));
            case CHUNK ->
                LoadJson.encode(
                    snapshots.chunk(requester, ask.loadId(), ask.table(), ask.after(), ask.limit()),
                    ask.namesOnce());
            case REVERSE -> LoadJson.encode(snapshots.reverse(requester, ask.reverse()));
            case CLOSE -> {
              snapshots.close(requester, ask.loadId());
              yield new byte[] {'{', '}'};
            }
          };
    } catch (LoadSessionLostException e) {
      ShipException gone = new ShipException(ShipException.Reason.LOAD_GONE, e.getMessage());
      Receiving.refused(component, exchange, gone);
      throw gone;
    } catch (LoadException e) {
      if (e.getCause() instanceof SQLException) {
        throw e; // the hub's database, not the request: try again later
      }
      ShipException refused = new ShipException(ShipException.Reason.REFUSED_LOAD, e.getMessage());
      Receiving.refused(component, exchange, refused);
      throw refused;
    }
    SyncNode node = component.node();
    Envelope envelope =
        new Envelope(Envelope.Type.LOAD, node.nodeId(), requester, request.id(), answer);
    Message message = exchange.getMessage();
    message.removeHeaders("DeltaSync*"); // over a queue the request's headers would go back
    message.setBody(Envelopes.seal(envelope, component.secrets().require(requester)));
    message.setHeader(Exchange.CONTENT_TYPE, Envelopes.CONTENT_TYPE);
    message.setHeader(ShipHeaders.SENDER, node.nodeId());
    message.setHeader(ShipHeaders.RECIPIENT, requester);
  }
}
