package io.deltasync.console.demo;

import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Edits the demo's to-dos and notes on both clients through MyBatis, continuously: each client
 * adds, finishes and removes its own to-dos a few times a second; every 30 ticks both edit the same
 * shared note at once (the hub's policy for {@code note} is manual, so that usually parks a
 * conflict), and every {@code deadLetterEvery} ticks node-a adds a to-do that only the hub's check
 * constraint refuses: a dead letter at the hub, which holds node-a's later deltas back until an
 * admin retries or skips it. Stops with {@link #close()}.
 */
public final class DemoGenerator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DemoGenerator.class);
  private static final int SHARED_NOTES = 5;

  private final DemoMapper a;
  private final DemoMapper b;
  private final long deadLetterEvery;
  private final Random random = new Random();
  private final AtomicLong tick = new AtomicLong();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "deltasync-demo-generator");
            thread.setDaemon(true);
            return thread;
          });

  private DemoGenerator(DemoMapper a, DemoMapper b, long deadLetterEvery) {
    this.a = a;
    this.b = b;
    this.deadLetterEvery = deadLetterEvery;
  }

  /**
   * Creates the shared notes on node-a and starts editing every {@code periodMillis}.
   *
   * @param deadLetterEvery every how many ticks node-a writes a to-do the hub refuses
   */
  public static DemoGenerator start(DemoSystem demo, long periodMillis, long deadLetterEvery) {
    DemoGenerator generator =
        new DemoGenerator(
            DemoSystem.mapper(demo.a()), DemoSystem.mapper(demo.b()), deadLetterEvery);
    for (long id = 1; id <= SHARED_NOTES; id++) {
      if (generator.a.noteExists(id) == 0) {
        generator.a.addNote(id, "Shared note " + id, "node-a");
      }
    }
    generator.timer.scheduleWithFixedDelay(
        generator::tickQuietly, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    return generator;
  }

  private void tickQuietly() {
    try {
      tick(tick.incrementAndGet());
    } catch (RuntimeException e) {
      LOG.debug("Demo edit failed (the demo goes on)", e);
    }
  }

  private void tick(long n) {
    LocalDateTime now = LocalDateTime.now().truncatedTo(ChronoUnit.MILLIS);
    editTodos(a, 1_000_000L, n, now);
    editTodos(b, 2_000_000L, n, now);
    if (n % 30 == 0) {
      long note = 1 + (n / 30) % SHARED_NOTES;
      a.editNote(note, "edited on node-a at " + now, "node-a");
      b.editNote(note, "edited on node-b at " + now, "node-b");
    }
    if (n % deadLetterEvery == 0) {
      a.addTodo(3_000_000L + n, "To-do " + n + " (refused by the hub)", now);
    }
  }

  private void editTodos(DemoMapper mapper, long base, long n, LocalDateTime now) {
    mapper.addTodo(base + n, "To-do " + n, now);
    List<Long> ids = mapper.todoIds();
    List<Long> own = ids.stream().filter(id -> id > base && id < base + 1_000_000L).toList();
    if (own.size() > 1) {
      mapper.finishTodo(own.get(random.nextInt(own.size())), random.nextBoolean(), now);
    }
    if (own.size() > 40) {
      mapper.removeTodo(own.get(0));
    }
  }

  /** Stops editing, after the edit in progress. */
  @Override
  public void close() {
    timer.shutdown();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
