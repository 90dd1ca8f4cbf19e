package io.deltasync.console.node;

import java.util.List;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Pauses and resumes shipping to one peer by stopping and starting the Camel routes that read this
 * node's outbox for it ({@code deltasync:outbox?peer=<peer>}): push, JMS and file sending. A peer
 * that pulls from this node (HTTP feed) has no such route; it is paused on the peer's side. Nothing
 * persists: a restart starts every route again. Thread-safe.
 */
@Component
public class ShippingSwitch {

  private final ObjectProvider<CamelContext> camel;

  public ShippingSwitch(ObjectProvider<CamelContext> camel) {
    this.camel = camel;
  }

  /** The ids of the routes that ship this node's deltas to the peer. */
  public List<String> routes(String peer) {
    CamelContext context = camel.getIfAvailable();
    if (context == null) {
      return List.of();
    }
    Pattern forPeer =
        Pattern.compile("deltasync:(//)?outbox\\?(.*&)?peer=" + Pattern.quote(peer) + "(&.*)?");
    return context.getRoutes().stream()
        .filter(route -> forPeer.matcher(route.getEndpoint().getEndpointUri()).matches())
        .map(Route::getRouteId)
        .sorted()
        .toList();
  }

  /** Whether the peer has shipping routes and all of them are stopped. */
  public boolean paused(String peer) {
    List<String> routes = routes(peer);
    CamelContext context = camel.getIfAvailable();
    return !routes.isEmpty()
        && routes.stream()
            .allMatch(
                id -> context.getRouteController().getRouteStatus(id) != ServiceStatus.Started);
  }

  /**
   * Stops the peer's shipping routes, each after its batch in flight.
   *
   * @return the routes stopped
   */
  public List<String> pause(String peer) throws Exception {
    List<String> routes = routes(peer);
    for (String id : routes) {
      camel.getObject().getRouteController().stopRoute(id);
    }
    return routes;
  }

  /**
   * Starts the peer's shipping routes again.
   *
   * @return the routes started
   */
  public List<String> resume(String peer) throws Exception {
    List<String> routes = routes(peer);
    for (String id : routes) {
      camel.getObject().getRouteController().startRoute(id);
    }
    return routes;
  }
}
