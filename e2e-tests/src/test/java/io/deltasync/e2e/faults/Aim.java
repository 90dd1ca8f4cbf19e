package io.deltasync.e2e.faults;

import io.deltasync.e2e.faults.FaultProxy.Moment;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A moment on a link's wire that a fault on a process (a kill, a freeze) is aimed at, so that it
 * lands while a batch is being sent, applied or answered: over HTTP a push with deltas reaching the
 * hub, a pull reaching it, a pull answer with deltas reaching the client; over JMS a batch sent to
 * the broker, a batch the broker delivers.
 *
 * @param proxy the link whose wire shows the moment
 * @param moment the moment
 * @param maxDelay the most milliseconds to wait after the moment before striking
 * @param what what the node is doing then, for the fault's description
 */
record Aim(FaultProxy proxy, Moment moment, int maxDelay, String what) {

  /** How long a fault waits for its moment on the wire before it strikes at once. */
  static final Duration WAIT = Duration.ofSeconds(5);

  /** A client pushing (sending) a batch, or applying one pulled (delivered), over its transport. */
  static Aim atClient(FaultSystem system, String client, boolean applies) {
    if (FaultSystem.overJms(client)) {
      JmsFaultProxy link = system.jmsProxy(client);
      return applies
          ? new Aim(
              link, Moment.DELIVERED_BY_BROKER, 30, "while it applies a batch the broker delivered")
          : new Aim(
              link,
              Moment.SENT_TO_BROKER,
              0,
              "while it sends a batch (at the broker, not yet confirmed)");
    }
    HttpFaultProxy proxy = system.httpProxy(client);
    return applies
        ? new Aim(proxy, Moment.PULL_ANSWER_AT_CLIENT, 30, "while it applies a pulled batch")
        : new Aim(proxy, Moment.PUSH_AT_HUB, 0, "while it pushes (its batch at the hub)");
  }

  /** The hub applying the client's batch, or answering it, over the client's transport. */
  static Aim atHub(FaultSystem system, String client, boolean applies) {
    if (FaultSystem.overJms(client)) {
      JmsFaultProxy link = system.jmsProxy(FaultSystem.HUB);
      return applies
          ? new Aim(
              link,
              Moment.DELIVERED_BY_BROKER,
              30,
              "while it applies a batch from " + client + " (delivered by the broker)")
          : new Aim(
              link,
              Moment.SENT_TO_BROKER,
              10,
              "while it sends " + client + " a batch (at the broker, not yet confirmed)");
    }
    HttpFaultProxy proxy = system.httpProxy(client);
    return applies
        ? new Aim(proxy, Moment.PUSH_AT_HUB, 30, "while it applies a batch from " + client)
        : new Aim(proxy, Moment.PULL_AT_HUB, 10, "while it answers a pull of " + client);
  }

  /**
   * Strikes when the moment next comes on the proxy's wire (on the proxy's thread, holding that
   * direction of the connection back meanwhile), after 0 to maxDelay ms; at once, on the caller's
   * thread, when it does not come within {@link #WAIT}. Returns once it has struck.
   *
   * @param struck what the strike does to the node, in a word ("killed")
   * @return what to add to the fault's description
   */
  String strike(Random random, Runnable strike, String struck) {
    AtomicBoolean claimed = new AtomicBoolean();
    CompletableFuture<Void> done = new CompletableFuture<>();
    int delay = random.nextInt(maxDelay + 1);
    proxy.onNext(
        moment,
        () -> {
          if (claimed.compareAndSet(false, true)) {
            try {
              Thread.sleep(delay);
              strike.run();
              done.complete(null);
            } catch (InterruptedException | RuntimeException e) {
              done.completeExceptionally(e);
            }
          }
        });
    try {
      try {
        done.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        return "";
      } catch (TimeoutException e) {
        proxy.forget(moment);
        if (claimed.compareAndSet(false, true)) {
          strike.run();
          return " (that moment did not come within 5 s: " + struck + " at once)";
        }
        done.get();
        return "";
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not strike " + what, e.getCause());
    } catch (InterruptedException e) {
      proxy.forget(moment);
      claimed.set(true);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to strike " + what, e);
    }
  }
}
