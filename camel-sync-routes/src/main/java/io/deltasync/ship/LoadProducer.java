package io.deltasync.ship;

import io.deltasync.delta.internal.JsonText;
import io.deltasync.load.HubReloads;
import io.deltasync.load.HubSnapshots;
import io.deltasync.load.LoadException;
import io.deltasync.load.LoadSessionLostException;
import io.deltasync.node.SyncNode;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Pattern;
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
 *
 * <p>It also answers, for clients that reach their hub only by a queue or a folder: signed {@link
 * Envelope.Type#VERIFY} requests, as {@code deltasync:verify} does over HTTP ({@link
 * VerifyProducer#answer}), and {@link LoadRequest.Op#TABLE_RELOADS}, which ends the table reloads
 * the requester reports and tells it those due for it ({@link HubReloads}).
 *
 * <p>Over a folder, where no reply travels with the request, {@code deltasync:inbox} answers load
 * requests with {@link #answerInFolder}: the answer, or a signed refusal, becomes a file for the
 * requester.
 */
final class LoadProducer extends DefaultProducer {

  /** A request id that may name a file: what {@code DeltaIds} makes, and nothing with a path. */
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

  /** What a signed refusal's payload starts with (see {@link #refusal}). */
  static final String REFUSED = "{\"refused\":";

  private final DeltaSyncComponent component;

  LoadProducer(DeltaSyncEndpoint endpoint) {
    super(endpoint);
    this.component = endpoint.getComponent();
  }

  @Override
  public void process(Exchange exchange) {
    Envelope request;
    try {
      request = Receiving.open(component, exchange, Envelope.Type.LOAD, Envelope.Type.VERIFY);
    } catch (ShipException e) {
      Receiving.refused(component, exchange, e);
      throw e;
    }
    byte[] answer;
    try {
      answer = answer(exchange, request);
    } catch (ShipException e) {
      Receiving.refused(component, exchange, e);
      throw e;
    }
    Message message = exchange.getMessage();
    message.removeHeaders("DeltaSync*"); // over a queue the request's headers would go back
    seal(component, message, request, answer);
  }

  /**
   * {@code deltasync:inbox}'s side of a load over a folder: answers the authenticated request, and
   * turns a refusal of it into a signed refusal, so that the requester hears why instead of
   * waiting; the message becomes the answer, named {@code <request id>.answer}, for the requester's
   * folder.
   */
  static void answerInFolder(DeltaSyncComponent component, Exchange exchange, Envelope request) {
    if (!SAFE_ID.matcher(request.id()).matches()) {
      // the id names the answer's file: nothing but letters, digits and dashes may reach a path
      ShipException malformed =
          new ShipException(
              ShipException.Reason.MALFORMED,
              "load request from "
                  + request.sender()
                  + " has an id that cannot name a file: letters, digits and dashes only");
      Receiving.refused(component, exchange, malformed);
      throw malformed;
    }
    byte[] answer;
    try {
      answer = answer(exchange, request);
    } catch (ShipException e) {
      Receiving.refused(component, exchange, e);
      answer = refusal(e);
    }
    Message message = exchange.getMessage();
    message.removeHeaders("DeltaSync*");
    seal(component, message, request, answer);
    message.setHeader(ShipHeaders.FILE_NAME, request.id() + ".answer");
    exchange.setProperty(ShipHeaders.REWIND, true); // the route sends it to the requester
  }

  /** The answer's payload; throws the refusal. */
  private static byte[] answer(Exchange exchange, Envelope request) {
    if (request.type() == Envelope.Type.VERIFY) {
      return VerifyProducer.answer(exchange, request);
    }
    LoadRequest ask = LoadRequest.decode(request.payloadView());
    if (ask.op() == LoadRequest.Op.TABLE_RELOADS) {
      return tableReloads(exchange, request.sender(), ask);
    }
    HubSnapshots snapshots =
        exchange.getContext().getRegistry().findSingleByType(HubSnapshots.class);
    if (snapshots == null) {
      throw new IllegalStateException("this node has no HubSnapshots bean: it serves no load");
    }
    String requester = request.sender();
    try {
      return switch (ask.op()) {
        case OPEN -> LoadJson.encode(snapshots.open(requester, ask.tables()));
        case CHUNK ->
            LoadJson.encode(
                snapshots.chunk(requester, ask.loadId(), ask.table(), ask.after(), ask.limit()),
                ask.namesOnce());
        case REVERSE -> LoadJson.encode(snapshots.reverse(requester, ask.reverse()));
        case HELD ->
            LoadJson.encodeHeld(snapshots.held(requester, ask.loadId(), ask.table(), ask.keys()));
        case CLOSE -> {
          snapshots.close(requester, ask.loadId());
          yield new byte[] {'{', '}'};
        }
        case TABLE_RELOADS -> throw new IllegalStateException("answered above");
      };
    } catch (LoadSessionLostException e) {
      throw new ShipException(ShipException.Reason.LOAD_GONE, e.getMessage());
    } catch (LoadException e) {
      if (e.getCause() instanceof SQLException) {
        throw e; // the hub's database, not the request: try again later
      }
      throw new ShipException(ShipException.Reason.REFUSED_LOAD, e.getMessage());
    }
  }

  /**
   * Ends the table reloads the requester reports, and tells it those due for it (see {@link
   * TableReloadsAsked}): over a queue or a folder it asks so, where HTTP tells it in the answer to
   * its pulls. A node without {@link HubReloads} asks nothing of anyone.
   */
  private static byte[] tableReloads(Exchange exchange, String requester, LoadRequest ask) {
    HubReloads reloads = exchange.getContext().getRegistry().findSingleByType(HubReloads.class);
    TableReloadsAsked.ended(reloads, requester, ask.ends());
    return LoadJson.encodeTableReloads(
        reloads == null ? List.of() : reloads.tableReloadsDue(requester));
  }

  /** {@code {"refused":<status>,"reason":"…"}}: what a refusal says in band. */
  static byte[] refusal(ShipException e) {
    StringBuilder json = new StringBuilder(REFUSED).append(e.getStatus()).append(",\"reason\":");
    JsonText.string(json, String.valueOf(e.getMessage()));
    return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void seal(
      DeltaSyncComponent component, Message message, Envelope request, byte[] answer) {
    SyncNode node = component.node();
    String requester = request.sender();
    Envelope envelope =
        Envelope.owning(request.type(), node.nodeId(), requester, request.id(), answer);
    message.setBody(Envelopes.seal(envelope, component.secrets().require(requester)));
    message.setHeader(Exchange.CONTENT_TYPE, Envelopes.CONTENT_TYPE);
    message.setHeader(ShipHeaders.SENDER, node.nodeId());
    message.setHeader(ShipHeaders.RECIPIENT, requester);
  }
}
