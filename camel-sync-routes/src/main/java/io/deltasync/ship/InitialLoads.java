package io.deltasync.ship;

import io.deltasync.load.LoadReport;
import io.deltasync.load.Loader;
import io.deltasync.ship.ShippingConsumer.Attempt;
import org.apache.camel.CamelContext;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Runs a pending initial load in place of a pull: a {@code deltasync:pull} route asks here first,
 * so that nothing is pulled from a hub while this node is loading from it (deltas up to the load's
 * position would otherwise apply twice). Uses the {@link Loader} in the Camel registry whose hub is
 * the pulled peer; without one, pulls go on as before. A node held for an operator's reload pulls
 * nothing.
 */
final class InitialLoads {

  private InitialLoads() {}

  /**
   * Notes the hub's refusal of a pull because this node must reload (status 410 from its feed, see
   * {@link io.deltasync.load.ReloadNeededException}): true when it was one, and the loader has
   * noted it (it reloads in place of the next pull, or holds); false for any other failure.
   */
  static boolean reloadNeeded(ShippingConsumer consumer, String peer, Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof HttpOperationFailedException http && http.getStatusCode() == 410) {
        Loader loader =
            consumer.getEndpoint().getCamelContext().getRegistry().findSingleByType(Loader.class);
        if (loader == null || !loader.hubId().equals(peer)) {
          return false;
        }
        String body = http.getResponseBody();
        loader.reloadNeeded(body == null || body.isBlank() ? http.getMessage() : body.strip());
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }

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
      if (loader.held().isPresent()) {
        return Attempt.IDLE; // waits for an operator's Loader.reload(); warned when it began
      }
      if (!loader.pending()) {
        return null;
      }
      LoadReport report = loader.run(consumer::isRunAllowed); // a stop ends it after a chunk
      // the loader set lastProcessed in the database; a store that shares pointers beyond it (a
      // cluster) publishes it, so the next pull asks from the snapshot's position
      consumer.getEndpoint().getComponent().node().store().rebased(peer, report.snapshotSeq());
      return Attempt.PROGRESS;
    } catch (RuntimeException e) {
      return Attempt.failed(e);
    }
  }
}
