package io.deltasync.ship;

import io.deltasync.load.LoadException;
import io.deltasync.load.Loader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * {@code deltasync:load?peer=<hub>}: a client's load route, for a client that reaches its hub by a
 * queue or a folder. Each poll runs this node's pending load from the hub, if any (a new node, a
 * reload the hub asked for or an operator requested); each request of that load is one exchange
 * through the route, which carries the signed {@link LoadRequest} to the hub and must leave the
 * hub's answer in the message: a request-reply endpoint (JMS with {@code exchangePattern=InOut}),
 * or a file written into the hub's folder ({@link ShipHeaders#FILE_NAME} names it) and the answer
 * polled for ({@code <request id>.answer} in this node's folder). A refusal comes back with {@link
 * ShipHeaders#STATUS} and the hub's words, as a signed refusal, or as an HTTP failure; no answer at
 * all as an empty message (or the request itself, which a poll that timed out leaves).
 *
 * <p>Between loads it asks the hub, every {@code tableReloadsEvery} milliseconds (10 s), which of
 * its tables the hub wants reloaded ({@link LoadRequest.Op#TABLE_RELOADS}, answered signed for this
 * very request), and reloads each through the node's {@code Verifier} (over a {@link
 * RouteVerifyHub} on this same route) while the hub's deltas keep coming; the next request reports
 * how each ended.
 *
 * <p>Needs the node's {@link Loader} for that hub over a {@link RouteLoadSource} (a client with
 * {@code deltasync.node.upstream} and no {@code deltasync.ship.upstream-url}); it binds itself
 * there while it runs. Meanwhile the hub's batches arriving at {@code deltasync:inbox} wait for a
 * pending load (see {@link InitialLoads#beforeApply}), so that nothing up to the load's position
 * applies twice. A failed load backs off as any stream does and resumes after its last applied
 * chunk.
 */
final class LoadConsumer extends ShippingConsumer {

  private final TableReloadsAsked tableReloads;
  private RouteLoadSource source;
  private Loader loader;

  /** When to ask the hub which tables to reload next, in {@link System#nanoTime()}. */
  private long askTableReloadsAt;

  LoadConsumer(DeltaSyncEndpoint endpoint, Processor processor) {
    super(endpoint, processor);
    this.tableReloads = new TableReloadsAsked(endpoint.getComponent().node().nodeId());
  }

  @Override
  protected void doStart() throws Exception {
    String peer = getEndpoint().getPeer();
    if (getEndpoint().peers().size() != 1) {
      throw new IllegalArgumentException(
          "deltasync:load?peer=" + peer + " must name one hub, the one this node loads from");
    }
    loader = getEndpoint().getCamelContext().getRegistry().findSingleByType(Loader.class);
    if (loader == null || !loader.hubId().equals(getEndpoint().peers().get(0))) {
      throw new IllegalStateException(
          "deltasync:load?peer="
              + peer
              + " runs this node's loads from "
              + peer
              + ", but it has no loader for it: set deltasync.node.upstream="
              + peer
              + " and leave deltasync.load.initial on");
    }
    if (!(loader.source() instanceof RouteLoadSource route)) {
      throw new IllegalStateException(
          "this node loads from "
              + peer
              + " over HTTP (deltasync.ship.upstream-url is set): its pull route runs the loads,"
              + " drop the deltasync:load route or that setting");
    }
    source = route;
    source.bind(this);
    askTableReloadsAt = System.nanoTime();
    super.doStart();
  }

  @Override
  protected void doStop() throws Exception {
    try {
      super.doStop();
    } finally {
      if (source != null) {
        source.unbind(this);
      }
    }
  }

  @Override
  protected void doShutdown() throws Exception {
    tableReloads.close();
    super.doShutdown();
  }

  @Override
  protected String describe(String peer) {
    return "Loading from " + peer + " (route " + getRouteId() + ")";
  }

  @Override
  protected Attempt attempt(String peer) {
    Attempt loaded = InitialLoads.runIfPending(getEndpoint().getComponent(), loader, this::running);
    if (loaded != null) {
      return loaded;
    }
    askTableReloads(peer);
    return Attempt.IDLE;
  }

  /**
   * Every {@code tableReloadsEvery}, and whenever a table reload the hub asked for has ended: asks
   * the hub which tables it wants reloaded, reporting how those ended, and starts the new ones (see
   * {@link TableReloadsAsked}). A failure is the attempt's, backed off as any.
   */
  private void askTableReloads(String peer) {
    long every = getEndpoint().getTableReloadsEvery();
    List<PullRequest.TableReloadEnd> ended = tableReloads.ends(peer);
    long now = System.nanoTime();
    if (every == 0 || (ended.isEmpty() && now - askTableReloadsAt < 0)) {
      return;
    }
    askTableReloadsAt = now + TimeUnit.MILLISECONDS.toNanos(every);
    List<String> due = source.tableReloads(ended);
    tableReloads.reported(peer, ended);
    tableReloads.asked(getEndpoint().getCamelContext(), peer, due);
  }

  private boolean running() {
    return isRunAllowed() && !isSuspendingOrSuspended();
  }

  /** Sends one sealed request through the route and returns the hub's answer or refusal. */
  SealedLoadSource.Answer request(byte[] sealed, String requestId) {
    Exchange exchange = getEndpoint().createExchange();
    Message message = exchange.getIn();
    message.setBody(sealed);
    message.setHeader(Exchange.CONTENT_TYPE, Envelopes.CONTENT_TYPE);
    message.setHeader(ShipHeaders.SENDER, getEndpoint().getComponent().node().nodeId());
    message.setHeader(ShipHeaders.RECIPIENT, loader.hubId());
    message.setHeader(ShipHeaders.BATCH_ID, requestId);
    String self = getEndpoint().getComponent().node().nodeId();
    message.setHeader(ShipHeaders.FILE_NAME, self + "-load-" + requestId + ".dsync");
    Throwable failure = send(exchange);
    if (failure instanceof HttpOperationFailedException http) {
      String text = http.getResponseBody();
      return new SealedLoadSource.Answer(
          http.getStatusCode(), (text == null ? "" : text).getBytes(StandardCharsets.UTF_8));
    }
    if (failure != null) {
      throw new LoadException(
          "could not reach "
              + loader.hubId()
              + " through route "
              + getRouteId()
              + ": "
              + failure.getMessage(),
          failure);
    }
    Message answer = exchange.getMessage();
    Integer status = answer.getHeader(ShipHeaders.STATUS, Integer.class);
    byte[] body = answer.getBody(byte[].class);
    if (status == null && (body == null || body.length == 0 || Arrays.equals(body, sealed))) {
      // a folder's answer is polled for: none came within the route's timeout
      throw new LoadException(
          "no answer from "
              + loader.hubId()
              + " to load request "
              + requestId
              + " through route "
              + getRouteId()
              + " in time: is the hub running, with its receive route and the secret this node"
              + " shares with it?");
    }
    return new SealedLoadSource.Answer(status == null ? 200 : status, body);
  }
}
