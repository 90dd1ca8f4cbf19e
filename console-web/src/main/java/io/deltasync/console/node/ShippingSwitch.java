package io.deltasync.console.node;

import io.deltasync.ship.DeltaSyncComponent;
import io.deltasync.ship.DeltaSyncEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Pauses and resumes shipping to one peer: stops and starts the Camel routes that read this node's
 * outbox for it ({@code deltasync:outbox?peer=<peer>}: push, JMS and file sending), and, when this
 * node serves pulls ({@code deltasync:feed}), holds and releases the feed's answers to the peer (it
 * gets no deltas while held). Nothing persists: a restart ships again. Thread-safe.
 */
@Component
public class ShippingSwitch {

  /** How {@link #paused} and the action's results name the feed. */
  public static final String FEED = "the feed it pulls from";

  private final ObjectProvider<CamelContext> camel;

  public ShippingSwitch(ObjectProvider<CamelContext> camel) {
    this.camel = camel;
  }

  /**
   * What ships this node's deltas to the peer: the ids of its outbox routes, then {@link #FEED}
   * when this node serves pulls.
   */
  public List<String> routes(String peer) {
    CamelContext context = camel.getIfAvailable();
    if (context == null) {
      return List.of();
    }
    List<String> routes = new ArrayList<>(outboxRoutes(context, peer));
    if (feed(context) != null) {
      routes.add(FEED);
    }
    return routes;
  }

  /** Whether the peer has shipping routes or a feed and all of them are stopped or held. */
  public boolean paused(String peer) {
    CamelContext context = camel.getIfAvailable();
    if (context == null) {
      return false;
    }
    List<String> routes = outboxRoutes(context, peer);
    DeltaSyncComponent feed = feed(context);
    if (routes.isEmpty() && feed == null) {
      return false;
    }
    return (feed == null || feed.feedHeld(peer))
        && routes.stream()
            .allMatch(
                id -> context.getRouteController().getRouteStatus(id) != ServiceStatus.Started);
  }

  /**
   * Stops the peer's shipping routes, each after its batch in flight, and holds the feed for it.
   *
   * @return what was paused, as {@link #routes} names it
   */
  public List<String> pause(String peer) throws Exception {
    CamelContext context = camel.getObject();
    for (String id : outboxRoutes(context, peer)) {
      context.getRouteController().stopRoute(id);
    }
    DeltaSyncComponent feed = feed(context);
    if (feed != null) {
      feed.holdFeed(peer);
    }
    return routes(peer);
  }

  /**
   * Starts the peer's shipping routes again and releases the feed for it.
   *
   * @return what was resumed, as {@link #routes} names it
   */
  public List<String> resume(String peer) throws Exception {
    CamelContext context = camel.getObject();
    for (String id : outboxRoutes(context, peer)) {
      context.getRouteController().startRoute(id);
    }
    DeltaSyncComponent feed = feed(context);
    if (feed != null) {
      feed.releaseFeed(peer);
    }
    return routes(peer);
  }

  private static List<String> outboxRoutes(CamelContext context, String peer) {
    Pattern forPeer =
        Pattern.compile("deltasync:(//)?outbox\\?(.*&)?peer=" + Pattern.quote(peer) + "(&.*)?");
    return context.getRoutes().stream()
        .filter(route -> forPeer.matcher(route.getEndpoint().getEndpointUri()).matches())
        .map(Route::getRouteId)
        .sorted()
        .toList();
  }

  /** The component whose feed a route of this node serves, or null when none does. */
  private static DeltaSyncComponent feed(CamelContext context) {
    for (Endpoint endpoint : context.getEndpoints()) {
      if (endpoint instanceof DeltaSyncEndpoint deltasync
          && deltasync.getKind() == DeltaSyncEndpoint.Kind.FEED) {
        return deltasync.getComponent();
      }
    }
    return null;
  }
}
