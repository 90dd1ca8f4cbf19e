package io.deltasync.ship;

import static io.deltasync.ship.ShipException.Reason.MALFORMED;
import static io.deltasync.ship.ShipException.Reason.TOO_LARGE;

import io.deltasync.delta.internal.LogText;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opening what arrives at an inbox or feed, and refusing it. */
final class Receiving {

  private static final Logger LOG = LoggerFactory.getLogger(Receiving.class);

  private Receiving() {}

  /** The exchange's body as an envelope of one of the expected types, addressed to this node. */
  static Envelope open(DeltaSyncComponent component, Exchange exchange, Envelope.Type... expected) {
    byte[] wire = body(exchange, component.limits().maxEnvelopeBytes());
    Envelope envelope =
        Envelopes.open(wire, component.secrets(), component.node().nodeId(), component.limits());
    if (!Arrays.asList(expected).contains(envelope.type())) {
      throw new ShipException(
          MALFORMED,
          "expected a "
              + Arrays.stream(expected)
                  .map(type -> type.name().toLowerCase(Locale.ROOT))
                  .collect(Collectors.joining(" or "))
              + " envelope, but "
              + envelope.sender()
              + " sent a "
              + envelope.type().name().toLowerCase(Locale.ROOT)
              + switch (envelope.type()) {
                case BATCH -> "; batches go to deltasync:inbox";
                case PULL -> "; pull requests go to deltasync:feed";
                case VERIFY -> "; verify requests go to deltasync:verify";
                case LOAD -> "; load requests go to deltasync:load";
                case REWIND ->
                    "; rewinds go to the inbox of a queue or folder (deltasync:inbox?outOfOrder=rewind)";
                case RELOAD ->
                    "; reload notices go to the inbox of a queue or folder"
                        + " (deltasync:inbox?outOfOrder=rewind)";
              });
    }
    return envelope;
  }

  /**
   * The body's bytes, read from a stream only up to one byte past the limit, so an oversized body
   * is refused without being held in memory.
   */
  private static byte[] body(Exchange exchange, long limit) {
    Object body = exchange.getIn().getBody();
    if (body instanceof InputStream stream) {
      try (stream) {
        byte[] bytes = stream.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        if (bytes.length > limit) {
          throw new ShipException(
              TOO_LARGE,
              "envelope is larger than the "
                  + limit
                  + " bytes this node accepts (deltasync.ship.max-envelope-bytes)");
        }
        return bytes;
      } catch (IOException e) {
        throw new ShipException(MALFORMED, "could not read the body: " + e.getMessage(), e);
      }
    }
    return exchange.getIn().getBody(byte[].class);
  }

  /**
   * Where the message came from, for the node registry: the remote address of an HTTP request
   * ({@code http://127.0.0.1:53422}), else the endpoint it arrived at (a queue, a folder).
   */
  static String from(Exchange exchange) {
    Object request = exchange.getIn().getHeader(Exchange.HTTP_SERVLET_REQUEST);
    if (request instanceof jakarta.servlet.ServletRequest servlet
        && servlet.getRemoteAddr() != null) {
      return "http://" + servlet.getRemoteAddr() + ":" + servlet.getRemotePort();
    }
    return exchange.getFromEndpoint() == null ? null : exchange.getFromEndpoint().getEndpointUri();
  }

  /** Counts and logs a refusal, once. */
  static void refused(DeltaSyncComponent component, Exchange exchange, ShipException e) {
    component.counters().countRefused(e.getReason());
    String from =
        exchange.getFromEndpoint() == null
            ? ""
            : " at " + exchange.getFromEndpoint().getEndpointUri();
    // anyone may send a refused message: what it says is shown escaped, on one line
    LOG.warn(
        "Refused a message{} ({} {}): {}",
        from,
        e.getStatus(),
        e.getReason(),
        LogText.of(e.getMessage()));
  }
}
