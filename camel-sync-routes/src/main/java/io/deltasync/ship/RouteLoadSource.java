package io.deltasync.ship;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.deltasync.conflict.Row;
import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaIds;
import io.deltasync.load.LoadException;
import io.deltasync.load.LoadSource;
import io.deltasync.load.LoadStart;
import io.deltasync.load.ReverseChunk;
import io.deltasync.load.ReverseResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A hub's load endpoint reached through this node's {@code deltasync:load?peer=<hub>} route, for a
 * client that reaches its hub by a queue rather than HTTP: each call seals a {@link LoadRequest},
 * the route carries it to the hub and brings back the hub's signed answer (the shipped {@code
 * deltasync-jms-load} route: a JMS request on {@code deltasync.load.<hub>}, answered on a temporary
 * queue), and {@link LoadAnswers} opens it.
 *
 * <p>The route's consumer binds itself here when it starts; while no such route runs, {@link
 * #bound()} is false and every call fails with a {@link LoadException} saying so. Thread-safe.
 */
public final class RouteLoadSource implements LoadSource {

  private final String hubId;
  private final String clientId;
  private final byte[] secret;
  private final PeerSecrets hubSecret;
  private final AtomicReference<LoadConsumer> route = new AtomicReference<>();

  /**
   * @param hubId the hub's node id
   * @param clientId this node's id
   * @param secret the secret this node and the hub share ({@code
   *     deltasync.ship.peers.<hub>.secret})
   */
  public RouteLoadSource(String hubId, String clientId, String secret) {
    this.hubId = Delta.requireNodeId(hubId, "hubId");
    this.clientId = Delta.requireNodeId(clientId, "clientId");
    this.secret = secret.getBytes(UTF_8);
    this.hubSecret = PeerSecrets.of(Map.of(hubId, secret));
  }

  @Override
  public String nodeId() {
    return hubId;
  }

  /** Whether a {@code deltasync:load} route for the hub runs, so that a load can. */
  public boolean bound() {
    return route.get() != null;
  }

  void bind(LoadConsumer consumer) {
    if (!route.compareAndSet(null, consumer) && route.get() != consumer) {
      throw new IllegalStateException(
          "two deltasync:load routes load from "
              + hubId
              + " ("
              + route.get().getRouteId()
              + " and "
              + consumer.getRouteId()
              + "): keep one");
    }
  }

  void unbind(LoadConsumer consumer) {
    route.compareAndSet(consumer, null);
  }

  @Override
  public LoadStart open(String requester, List<String> tables) {
    return LoadJson.decodeStart(ask(requester, LoadRequest.open(tables)));
  }

  @Override
  public List<Row> chunk(
      String requester, String loadId, String table, List<String> after, int limit) {
    return LoadJson.decodeRows(ask(requester, LoadRequest.chunk(loadId, table, after, limit)));
  }

  @Override
  public void close(String requester, String loadId) {
    ask(requester, LoadRequest.close(loadId));
  }

  @Override
  public ReverseResult reverse(String requester, ReverseChunk chunk) {
    return LoadJson.decodeReverse(ask(requester, LoadRequest.reverse(chunk)));
  }

  private byte[] ask(String requester, LoadRequest request) {
    if (!requester.equals(clientId)) {
      throw new IllegalArgumentException(
          "this hub connection loads for " + clientId + ", but " + requester + " asked");
    }
    LoadConsumer consumer = route.get();
    if (consumer == null) {
      throw new LoadException(
          clientId
              + " has no running deltasync:load route for "
              + hubId
              + " (the deltasync-jms-load route template, or an HTTP upstream-url): it cannot load"
              + " from it");
    }
    String id = DeltaIds.next();
    Envelope envelope = new Envelope(Envelope.Type.LOAD, clientId, hubId, id, request.encode());
    LoadConsumer.Answer answer = consumer.request(Envelopes.seal(envelope, secret), id);
    return LoadAnswers.open(
        hubId, clientId, hubSecret, id, request, answer.status(), answer.body());
  }
}
