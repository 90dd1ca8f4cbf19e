package io.deltasync.ship;

import io.deltasync.delta.internal.LogText;
import io.deltasync.store.DeltaSignal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
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
 * ends the wait; a suspended consumer does not poll, and rests the same way until resumed.
 *
 * <p>Once suspending (Camel's stop of a route suspends its consumer first) a poll starts no other
 * exchange, and a stop lets the poll in progress end (5 s at most) before Camel interrupts the
 * consumer's thread, so that a transport is never interrupted half-way through a send.
 *
 * <p>Only the leading process polls (see {@code Leadership}). After a failure the peer waits twice
 * as long as before, from {@code delay} up to {@code maxBackoff}, while other peers go on; the
 * first failure of a run is logged as a warning, repeats at debug, and the recovery once.
 */
abstract class ShippingConsumer extends ScheduledPollConsumer {

  private static final Logger LOG = LoggerFactory.getLogger(ShippingConsumer.class);

  /**
   * The rest after a poll that moved deltas, before the next: a commit wakes an idle consumer at
   * once, but while deltas keep coming the commits of the next few milliseconds travel together in
   * one batch instead of one batch each, which a steady stream of small transactions would
   * otherwise cost in round trips and CPU (every batch is signed, sent, checked and applied on its
   * own).
   */
  static final long LINGER_MILLIS = 20;

  /** How long a stop waits for a poll in progress to end before Camel interrupts it. */
  private static final long STOP_WAIT_SECONDS = 5;

  private final DeltaSyncEndpoint endpoint;
  private final Map<String, Backoff> backoffs = new ConcurrentHashMap<>();
  private final DeltaSignal signal;

  /** The {@code delay} option: the longest wait between polls; -1 until started. */
  private long idleWait = -1;

  /** Held while a poll runs: a stop waits for it rather than interrupt it. */
  private final ReentrantLock polls = new ReentrantLock();

  /** Whether the last poll sent something (or a long poll ended empty): the next runs at once. */
  private volatile boolean busy;

  /**
   * Whether the last poll moved deltas: the next one lingers first (see {@link #LINGER_MILLIS}).
   */
  private volatile boolean moved;

  /**
   * When the next poll must run at the latest ({@link System#nanoTime()}), if sooner than delay.
   */
  private volatile long pollBy = Long.MAX_VALUE;

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
    // the scheduler's own delay only separates runs: each run rests (see run()) for the signal or
    // the delay, whichever comes first, unless its poll sent something
    setDelay(1);
    busy = false;
    backoffs.clear(); // a route started again tries every peer at once
    moved = false;
    super.doStart();
  }

  @Override
  protected void doSuspend() throws Exception {
    signal.raise(); // ends a rest in progress; a suspended consumer rests without polling
    super.doSuspend();
  }

  @Override
  protected void doResume() throws Exception {
    super.doResume();
    signal.raise(); // ends the suspended consumer's rest: it polls again at once
  }

  @Override
  protected void doStop() throws Exception {
    signal.raise(); // ends a rest in progress
    // Camel's stop interrupts a run in progress; a poll interrupted in its transport (a JMS send
    // in the broker client) or its database access may leave the client's shared session broken,
    // so let the poll end first, which it does without starting another exchange (see sending())
    boolean idle = polls.tryLock(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
    try {
      super.doStop();
    } finally {
      if (idle) {
        polls.unlock();
      }
    }
  }

  @Override
  public DeltaSyncEndpoint getEndpoint() {
    return endpoint;
  }

  /**
   * One run of the scheduler: a poll (none while suspended), then a rest until the signal or {@code
   * delay}, unless the poll sent something. So neither an idle nor a suspended consumer keeps a
   * core busy; the scheduler's 1 ms delay only separates polls that find work.
   */
  @Override
  public void run() {
    long seen = signal.generation(); // before the poll looks for work: no commit goes unseen
    busy = false;
    pollBy = Long.MAX_VALUE;
    polls.lock();
    try {
      super.run();
    } finally {
      polls.unlock();
    }
    if (isRunAllowed() && (!busy || moved)) {
      try {
        if (busy) {
          Thread.sleep(LINGER_MILLIS); // deltas keep coming: let the next few commits join them
        } else {
          signal.await(seen, restMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the route stops: the scheduler cancels this task
      }
    }
  }

  @Override
  protected int poll() {
    int done = 0;
    boolean again = false;
    if (endpoint.getComponent().leadership().isLeader()) {
      long now = System.currentTimeMillis();
      for (String peer : endpoint.peers()) {
        Backoff backoff = backoffs.computeIfAbsent(peer, p -> new Backoff());
        if (now < backoff.nextAttemptAt) {
          continue;
        }
        for (int batches = 0; batches < endpoint.getMaxBatchesPerPoll() && sending(); ) {
          Attempt attempt = attemptOrFailure(peer);
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
          if (attempt.caughtUp) {
            break; // the rest after this poll lets the next commits join the peer's next batch
          }
        }
      }
    }
    busy = done > 0 || again;
    moved = done > 0;
    return done;
  }

  /**
   * Whether to start another exchange: not once suspending (a route's stop suspends first), since
   * Camel then waits only for the exchanges already in flight before it stops the consumer.
   */
  private boolean sending() {
    return isRunAllowed() && !isSuspendingOrSuspended();
  }

  /** An attempt; one that throws (the database unreachable) is a failure, backed off as any. */
  private Attempt attemptOrFailure(String peer) {
    try {
      return attempt(peer);
    } catch (RuntimeException e) {
      return Attempt.failed(e);
    }
  }

  /** The rest after a poll that found nothing to send: {@code delay}, or less if asked for. */
  private long restMillis() {
    long by = pollBy;
    if (by == Long.MAX_VALUE) {
      return idleWait();
    }
    long left = TimeUnit.NANOSECONDS.toMillis(by - System.nanoTime());
    return Math.max(1, Math.min(idleWait(), left));
  }

  /** Asks for the next poll within {@code millis}, even if nothing wakes the consumer sooner. */
  protected void pollAgainWithin(long millis) {
    pollBy = Math.min(pollBy, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis));
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
   * @param caughtUp whether it moved a pointer and left nothing waiting for the peer (a batch short
   *     of the batch size): the next attempt for that peer waits for the rest after the poll, so a
   *     steady stream of commits travels in batches of what committed meanwhile rather than one
   *     tiny batch after another (a sender over a queue is not held back by the receiver's apply,
   *     as an HTTP request is)
   * @param again whether to poll again at once although nothing moved (a long poll ended empty)
   * @param failure why it failed, or null
   */
  record Attempt(boolean progress, boolean caughtUp, boolean again, Throwable failure) {
    static final Attempt IDLE = new Attempt(false, false, false, null);
    static final Attempt PROGRESS = new Attempt(true, false, false, null);
    static final Attempt CAUGHT_UP = new Attempt(true, true, false, null);
    static final Attempt AGAIN = new Attempt(false, false, true, null);

    static Attempt failed(Throwable failure) {
      return new Attempt(false, false, false, failure);
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
    return LogText.of(text);
  }
}
