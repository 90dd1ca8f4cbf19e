package io.deltasync.ship;

import io.deltasync.load.Loader;
import io.deltasync.ship.ShippingConsumer.Attempt;
import org.apache.camel.CamelContext;

/**
 * Runs a pending initial load in place of a pull: a {@code deltasync:pull} route asks here first,
 * so that nothing is pulled from a hub while this node is loading from it (deltas up to the load's
 * position would otherwise apply twice). Uses the {@link Loader} in the Camel registry whose hub is
 * the pulled peer; without one, pulls go on as before.
 */
final class InitialLoads {

  private InitialLoads() {}

  /**
   * Null when the pull may go on; otherwise the outcome of the load run instead (progress when it
   * finished, the failure when it stopped: the consumer backs off and the next attempt resumes).
   */
  static Attempt beforePull(ShippingConsumer consumer, String peer) {
    CamelContext context = consumer.getEndpoint().getCamelContext();
    Loader loader = context.getRegistry().findSingleByType(Loader.class);
    if (loader == null || !loader.hubId().equals(peer)) {
      return null;
    }
    try {
      if (!loader.pending()) {
        return null;
      }
      loader.run(consumer::isRunAllowed); // stopping the route stops the load after a chunk
      return Attempt.PROGRESS;
    } catch (RuntimeException e) {
      return Attempt.failed(e);
    }
  }
}
