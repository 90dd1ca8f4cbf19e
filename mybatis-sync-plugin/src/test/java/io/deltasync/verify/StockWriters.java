package io.deltasync.verify;

import io.deltasync.testing.TestNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The application on a hub and a client, each on its own thread, and a sync thread between them
 * (the client pushes and pulls, as its routes would): each writer increments random counters of the
 * {@code stock} table ({@code qty = qty + 1}) and now and then inserts a row of its own, and counts
 * in the expected quantities only what committed and changed a row.
 */
final class StockWriters {

  private static final long PAUSE_MILLIS = 20;

  private final TestNode hub;
  private final TestNode client;
  private final List<Long> counters;
  private final Map<Long, AtomicInteger> expected;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger[] increments = {new AtomicInteger(), new AtomicInteger()};
  private final AtomicInteger inserts = new AtomicInteger();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final List<Thread> threads = new ArrayList<>();

  StockWriters(
      TestNode hub, TestNode client, List<Long> counters, Map<Long, AtomicInteger> expected) {
    this.hub = hub;
    this.client = client;
    this.counters = List.copyOf(counters);
    this.expected = expected;
  }

  void start() {
    threads.add(new Thread(() -> write(hub, 0, 5_000_000L, 31L), "hub-writer"));
    threads.add(new Thread(() -> write(client, 1, 6_000_000L, 32L), "client-writer"));
    threads.add(new Thread(this::sync, "client-sync"));
    threads.forEach(Thread::start);
  }

  /** Stops every thread and fails with what failed on one. */
  void stop() throws InterruptedException {
    running.set(false);
    for (Thread thread : threads) {
      thread.join();
    }
    if (failure.get() != null) {
      throw new AssertionError("a writer failed", failure.get());
    }
  }

  /** The increments committed so far: the hub's, then the client's. */
  int[] increments() {
    return new int[] {increments[0].get(), increments[1].get()};
  }

  /** Waits up to 30 s until both sides together committed that many increments. */
  void awaitIncrements(int atLeast) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (increments[0].get() + increments[1].get() < atLeast
        && failure.get() == null
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  @Override
  public String toString() {
    return increments[0]
        + " hub and "
        + increments[1]
        + " client increments, "
        + inserts
        + " inserts";
  }

  private void write(TestNode node, int side, long firstNewId, long seed) {
    Random random = new Random(seed);
    long newId = firstNewId;
    try {
      while (running.get()) {
        long id = counters.get(random.nextInt(counters.size()));
        if (Stocks.write(node, stock -> stock.increment(id)) == 1) {
          expected.get(id).incrementAndGet();
          increments[side].incrementAndGet();
        }
        if (random.nextInt(8) == 0) {
          long inserted = newId++;
          Stocks.write(node, stock -> stock.insert(inserted, "new on " + side, 0));
          expected.put(inserted, new AtomicInteger());
          inserts.incrementAndGet();
        }
        Thread.sleep(PAUSE_MILLIS);
      }
    } catch (Throwable e) {
      failure.compareAndSet(null, e);
    }
  }

  private void sync() {
    try {
      while (running.get()) {
        client.node().push(hub.node());
        client.node().pull(hub.node());
        Thread.sleep(10);
      }
    } catch (Throwable e) {
      failure.compareAndSet(null, e);
    }
  }
}
