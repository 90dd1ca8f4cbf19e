package io.deltasync.store;

import io.deltasync.delta.Delta;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A node's "new deltas committed" signal in this JVM: wakes whoever ships the node's deltas (its
 * outbox routes, the pulls its feed holds) as soon as a transaction that stored deltas in its
 * {@code ds_delta} commits, instead of at their next poll.
 *
 * <p>Raised only after the commit: by capture when the application's transaction commits, by the
 * applier when a batch commits, and when what the node must ship changes otherwise (a feed rewound
 * or released). A raise is a hint, never a delivery: waiters read {@code ds_delta} themselves, and
 * still poll, since another process may write the same database (a second hub member, another
 * instance of the application). One signal per node id and JVM, so a raise may wake a waiter with
 * nothing to do; a wake is never lost between {@link #generation()} and {@link #await}.
 *
 * <p>Thread-safe. {@link #raise} is cheap: when nobody waits it is one atomic increment and one
 * volatile read, with no lock and no allocation.
 */
public final class DeltaSignal {

  private static final Map<String, DeltaSignal> SIGNALS = new ConcurrentHashMap<>();

  private final AtomicLong generation = new AtomicLong();
  private final AtomicInteger waiting = new AtomicInteger();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition raised = lock.newCondition();

  private DeltaSignal() {}

  /** The signal of the node with this id. */
  public static DeltaSignal of(String nodeId) {
    DeltaSignal signal = SIGNALS.get(nodeId);
    if (signal != null) {
      return signal;
    }
    Delta.requireNodeId(nodeId, "nodeId");
    return SIGNALS.computeIfAbsent(nodeId, id -> new DeltaSignal());
  }

  /** Tells the waiters that the node has new deltas to ship (committed already). */
  public void raise() {
    generation.incrementAndGet();
    if (waiting.get() > 0) {
      lock.lock();
      try {
        raised.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** How many times the signal was raised: read it before looking for work, then {@link #await}. */
  public long generation() {
    return generation.get();
  }

  /**
   * Waits until the signal is raised after {@code seen} was read from {@link #generation()}, or the
   * timeout passes.
   *
   * @return whether it was raised (at once when it was raised already)
   * @throws InterruptedException when the waiting thread is interrupted
   */
  public boolean await(long seen, long timeout, TimeUnit unit) throws InterruptedException {
    if (generation.get() != seen) {
      return true;
    }
    long nanos = unit.toNanos(timeout);
    waiting.incrementAndGet();
    lock.lock();
    try {
      // a raise after the increment above either is seen here or signals under the lock
      while (generation.get() == seen) {
        if (nanos <= 0) {
          return false;
        }
        nanos = raised.awaitNanos(nanos);
      }
      return true;
    } finally {
      lock.unlock();
      waiting.decrementAndGet();
    }
  }
}
