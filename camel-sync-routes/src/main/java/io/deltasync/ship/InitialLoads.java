package io.deltasync.ship;

import io.deltasync.delta.DeltaBatch;
import io.deltasync.load.LoadException;
import io.deltasync.load.LoadReport;
import io.deltasync.load.Loader;
import io.deltasync.ship.ShippingConsumer.Attempt;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Runs a pending initial load or reload before this node takes anything more from the hub it loads
 * from: deltas up to the load's position would otherwise apply twice. A {@code deltasync:pull}
 * route asks here before each pull, a {@code deltasync:load} route before each poll (a client that
 * reaches its hub by a queue), and {@code deltasync:inbox} before it applies a batch from that hub,
 * so that a batch on a queue waits for the load. Uses the {@link Loader} in the Camel registry
 * whose hub is the peer; without one, everything goes on as before. One load runs at a time per
 * loader: whoever comes second waits for it. A node held for an operator's reload pulls nothing.
 */
final class InitialLoads {

  /** How long a batch from the hub waits for a pending load before it is tried again. */
  static final Duration APPLY_WAIT = Duration.ofSeconds(30);

  /** Per loader: held while its load runs. */
  private static final Map<Loader, ReentrantLock> RUNNING =
      Collections.synchronizedMap(new WeakHashMap<>());

  private InitialLoads() {}

  /**
   * Notes the hub's refusal of a pull because this node must reload (status 410 from its feed, see
   * {@link io.deltasync.load.ReloadNeededException}): true when it was one, and the loader has
   * noted it (it reloads in place of the next pull, or holds); false for any other failure.
   */
  static boolean reloadNeeded(ShippingConsumer consumer, String peer, Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof HttpOperationFailedException http && http.getStatusCode() == 410) {
        Loader loader = loaderThatCanRun(consumer.getEndpoint().getCamelContext(), peer);
        if (loader == null) {
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
   * While a {@code deltasync:load} route loads from the peer, the pull waits.
   */
  static Attempt beforePull(ShippingConsumer consumer, String peer) {
    Loader loader = loaderThatCanRun(consumer.getEndpoint().getCamelContext(), peer);
    if (loader == null) {
      return null;
    }
    return runIfPending(consumer.getEndpoint().getComponent(), loader, consumer::isRunAllowed);
  }

  /**
   * Before {@code deltasync:inbox} applies a batch: when it comes from the hub this node loads from
   * over a {@code deltasync:load} route and a load is pending, waits until that route has run it
   * (it polls every {@code delay}), so that the batch applies after the load's position. The wait
   * is not spent loading on the inbox's own thread: a request sent there could join the inbox's
   * transacted queue session and go out only when the batch commits. After {@link #APPLY_WAIT} it
   * throws: the batch stays on its queue, retried as any that cannot apply yet.
   */
  static void beforeApply(CamelContext context, DeltaBatch batch) {
    Loader loader = loaderFor(context, batch.sender());
    if (loader == null
        || !(loader.source() instanceof RouteLoadSource route)
        || !route.bound()
        || !loader.pending()) {
      return;
    }
    long deadline = System.nanoTime() + APPLY_WAIT.toNanos();
    try {
      while (loader.pending() && loader.held().isEmpty()) {
        if (System.nanoTime() > deadline || !context.isStarted()) {
          throw new LoadException(
              "holding batch "
                  + batch.batchId()
                  + " from "
                  + batch.sender()
                  + " until this node's load from there is done; it is tried again");
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LoadException("interrupted while waiting for the load from " + batch.sender(), e);
    }
  }

  /**
   * Whether this node can act on a notice that it must reload from the sender: it has a loader for
   * it, and that loader has a way to reach the hub (an HTTP upstream, or a running {@code
   * deltasync:load} route).
   */
  static Loader loaderThatCanRun(CamelContext context, String hub) {
    Loader loader = loaderFor(context, hub);
    if (loader != null && loader.source() instanceof RouteLoadSource route && !route.bound()) {
      return null;
    }
    return loader;
  }

  /**
   * Null when no load is pending; {@link Attempt#IDLE} while the node is held for an operator;
   * otherwise the outcome of the load run now.
   */
  static Attempt runIfPending(
      DeltaSyncComponent component, Loader loader, BooleanSupplier proceed) {
    ReentrantLock running = RUNNING.computeIfAbsent(loader, l -> new ReentrantLock());
    running.lock();
    try {
      if (loader.held().isPresent()) {
        return Attempt.IDLE; // waits for an operator's Loader.reload(); warned when it began
      }
      if (!loader.pending()) {
        return null;
      }
      LoadReport report = loader.run(proceed); // a stop ends it after a chunk
      // the loader set lastProcessed in the database; a store that shares pointers beyond it (a
      // cluster) publishes it, so the next pull asks from the snapshot's position
      component.node().store().rebased(loader.hubId(), report.snapshotSeq());
      return Attempt.PROGRESS;
    } catch (RuntimeException e) {
      return Attempt.failed(e);
    } finally {
      running.unlock();
    }
  }

  private static Loader loaderFor(CamelContext context, String hub) {
    Loader loader = context.getRegistry().findSingleByType(Loader.class);
    return loader == null || !loader.hubId().equals(hub) ? null : loader;
  }
}
