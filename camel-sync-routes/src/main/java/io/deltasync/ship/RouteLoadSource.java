package io.deltasync.ship;

import io.deltasync.load.LoadException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A hub's load endpoint reached through this node's {@code deltasync:load?peer=<hub>} route, for a
 * client that reaches its hub by a queue rather than HTTP: each call seals a {@link LoadRequest},
 * the route carries it to the hub and brings back the hub's signed answer (the shipped {@code
 * deltasync-jms-load} route: a JMS request on {@code deltasync.load.<hub>}, answered on a temporary
 * queue; {@code deltasync-file-load}: a file in the hub's folder, answered by a file in this
 * node's), and {@link LoadAnswers} opens it.
 *
 * <p>The route's consumer binds itself here when it starts; while no such route runs, {@link
 * #bound()} is false and every call fails with a {@link LoadException} saying so. Thread-safe.
 */
public final class RouteLoadSource extends SealedLoadSource {

  private final AtomicReference<LoadConsumer> route = new AtomicReference<>();

  /**
   * @param hubId the hub's node id
   * @param clientId this node's id
   * @param secret the secret this node and the hub share ({@code
   *     deltasync.ship.peers.<hub>.secret})
   */
  public RouteLoadSource(String hubId, String clientId, String secret) {
    super(hubId, clientId, secret);
  }

  /** Whether a {@code deltasync:load} route for the hub runs, so that a load can. */
  public boolean bound() {
    return route.get() != null;
  }

  void bind(LoadConsumer consumer) {
    if (!route.compareAndSet(null, consumer) && route.get() != consumer) {
      throw new IllegalStateException(
          "two deltasync:load routes load from "
              + nodeId()
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
  Answer send(byte[] sealed, String requestId) {
    LoadConsumer consumer = route.get();
    if (consumer == null) {
      throw new LoadException(
          clientId()
              + " has no running deltasync:load route for "
              + nodeId()
              + " (a deltasync-jms-load or deltasync-file-load route, or an HTTP upstream-url): it"
              + " cannot load from it");
    }
    return consumer.request(sealed, requestId);
  }
}
