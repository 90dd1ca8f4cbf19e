package io.deltasync.ship;

import io.deltasync.store.DeltaSignal;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledPollConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A polling consumer that sends one exchange per batch and peer, in order, and stops a peer's
 * stream at its first failure.
 *
 * <p>Between polls that find nothing to do it waits for the node's {@link DeltaSignal}, up to
 * {@code delay}: deltas committed in this JVM go out at once, those another process writes to the
 * same database at the next poll. A poll that sent something is followed by the next at once, so a
 * burst goes out in as few batches as the batch limits allow. Stopping or suspending the consumer
 * ends the wait.
 *
 * <p>Only the leading process polls (see {@code Leadership}). After a failure the peer waits twice
 * as long as before, from {@code delay} up to {@code maxBackoff}, while other peers go on; the
 * first failure of a run is logged as a warning, repeats at debug, and the recovery once.
 */
abstract class ShippingConsumer extends ScheduledPollConsumer {

  private static final Logger LOG = LoggerFactory.getLogger(ShippingConsumer.class);

  private final DeltaSyncEndpoint endpoint;
  private final Map<String, Backoff> backoffs = new HashMap<>();
  private final DeltaSignal signal;

  /** The {@code delay} option: the longest wait between polls; -1 until started. */
  private long idleWait = -1;

  ShippingConsumer(DeltaSyncEndpoint endpoint, Processor processor) {
    super(endpoint, processor);
    this.endpoint = endpoint;
    this.signal = DeltaSignal.of(endpoint.getComponent().node().nodeId());
  }

  @Override
  protected void doStart() throws Exception {
    if (idleWait < 0) {
      idleWait = Math.max(1, getDelay());
    }
    // the consumer waits in poll() itself, for the signal or the delay, whichever comes first
    setDelay(1);
    super.doStart();
  }

  @Override
  protected void doSuspend() throws Exception {
    signal.raise(); // ends a wait in progress
    super.doSuspend();
  }

  @Override
  protected void doStop() throws Exception {
    signal.raise(); // ends a wait in progress
    super.doStop();
  }

  @Override
  public DeltaSyncEndpoint getEndpoint() {
    return endpoint;
  }

  @Override
  protected int poll() {
    long seen = signal.generation();
    int done = 0;
    boolean again = false;
    if (endpoint.getComponent().leadership().isLeader()) {
      long now = System.currentTimeMillis();
      for (String peer : endpoint.peers()) {
        Backoff backoff = backoffs.computeIfAbsent(peer, p -> new Backoff());
        if (now < backoff.nextAttemptAt) {
          continue;
        }
        for (int batches = 0; batches < endpoint.getMaxBatchesPerPoll() && isRunAllowed(); ) {
          Attempt attempt = attempt(peer);
          if (attempt.failure != null) {
            backoff.failed(describe(peer), attempt.failure);
            break;
          }
          backoff.succeeded(describe(peer));
          again |= attempt.again;
          if (!attempt.progress) {
            break;
          }
          batches++;
          done++;
        }
      }
    }
    if (done == 0 && !again && isRunAllowed() && !isSuspendingOrSuspended()) {
      try {
        signal.await(seen, idleWait, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // stopping: the scheduler ends this thread
      }
    }
    return done;
  }

  /** The {@code delay} option: the longest wait between polls that find nothing to do. */
  protected long idleWait() {
    return idleWait < 0 ? getDelay() : idleWait;
  }

  /** Sends at most one exchange for the peer. */
  protected abstract Attempt attempt(String peer);

  /** For logs: what this consumer does with the peer. */
  protected abstract String describe(String peer);

  /** Runs the exchange through the route; returns its failure, if any, even a handled one. */
  protected Throwable send(Exchange exchange) {
    try {
      getProcessor().process(exchange);
    } catch (Exception e) {
      exchange.setException(e);
    }
    Throwable failure = exchange.getException();
    if (failure == null) {
      failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }
    return failure;
  }

  /**
   * What one attempt did.
   *
   * @param progress whether it moved a pointer (so another attempt may do more)
   * @param again whether to poll again at once although nothing moved (a long poll ended empty)
   * @param failure why it failed, or null
   */
  record Attempt(boolean progress, boolean again, Throwable failure) {
    static final Attempt IDLE = new Attempt(false, false, null);
    static final Attempt PROGRESS = new Attempt(true, false, null);
    static final Attempt AGAIN = new Attempt(false, true, null);

    static Attempt failed(Throwable failure) {
      return new Attempt(false, false, failure);
    }
  }

  /** Exponential backoff of one peer's stream. */
  private final class Backoff {
    private int failures;
    private long nextAttemptAt;

    void failed(String what, Throwable failure) {
      failures++;
      long wait =
          Math.min(endpoint.getMaxBackoff(), Math.max(1, idleWait()) << Math.min(failures, 20));
      nextAttemptAt = System.currentTimeMillis() + wait;
      if (failures == 1) {
        LOG.warn("{} failed, retrying with backoff: {}", what, summary(failure));
      } else {
        LOG.debug(
            "{} failed {} times in a row, next try in {} ms: {}",
            what,
            failures,
            wait,
            summary(failure));
      }
    }

    void succeeded(String what) {
      if (failures > 0) {
        LOG.info("{} works again after {} failed attempts", what, failures);
      }
      failures = 0;
      nextAttemptAt = 0;
    }
  }

  private static String summary(Throwable failure) {
    StringBuilder text = new StringBuilder(failure.getClass().getSimpleName());
    text.append(": ").append(failure.getMessage());
    Throwable cause = failure.getCause();
    if (cause != null && cause != failure && cause.getMessage() != null) {
      text.append(" (").append(cause.getMessage()).append(')');
    }
    return text.toString();
  }
}
