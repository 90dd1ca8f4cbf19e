package io.deltasync.e2e.faults;

import io.deltasync.e2e.faults.FaultProxy.Moment;
import io.deltasync.e2e.support.AppProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Injects faults at seeded random moments while the workload runs: every kind once in a shuffled
 * order, then kinds drawn at random, 2 to 6 s apart. Kills are aimed at what the wire shows (a push
 * with deltas reaching the hub, a pull reaching it, a pull answer with deltas reaching a client),
 * plus 0 to 30 ms, so that they land while a batch is being applied or answered; a kill "while it
 * commits" is not aimed (each client's users send requests without pause, so one is nearly always
 * in flight). A killed process starts again on its data after a short pause, in the background,
 * while the faults go on.
 */
final class Nemesis {

  /** The kinds of fault. */
  enum Fault {
    /**
     * SIGKILL of a client's JVM while it commits, pushes (its batch at the hub) or applies a pulled
     * batch (just handed to it), restarted 0.5 to 3 s later.
     */
    KILL_CLIENT,
    /**
     * SIGKILL of the hub's JVM while it applies a pushed batch or answers a pull, restarted 0.5 to
     * 2 s later.
     */
    KILL_HUB,
    /** A client's connections to the hub reset, and new ones refused, for 1 to 5 s. */
    CUT,
    /** Every message between a client and the hub held back 0.2 to 1.5 s, for 3 to 8 s. */
    DELAY,
    /** The next 1 to 3 answers of the hub to a client swallowed and the connection reset. */
    DROP_ANSWER,
    /** The next request of a client reset after half of it reached the hub. */
    RESET_REQUEST,
    /** A client's last pushes delivered to the hub again, newest first; its next pull stale. */
    DUPLICATE_AND_REORDER
  }

  private final FaultSystem system;
  private final Random random;
  private final Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final Set<String> restarting = ConcurrentHashMap.newKeySet();
  private final List<CompletableFuture<Void>> restarts =
      Collections.synchronizedList(new ArrayList<>());
  private final long started = System.nanoTime();
  private volatile long lastFault = started;
  private final ExecutorService restarter =
      Executors.newCachedThreadPool(
          r -> {
            Thread thread = new Thread(r, "restart");
            thread.setDaemon(true);
            return thread;
          });

  Nemesis(FaultSystem system, Random random) {
    this.system = system;
    this.random = random;
  }

  /** Injects faults for the given time, then heals the network and waits for every restart. */
  void run(Duration phase) {
    long end = System.nanoTime() + phase.toNanos();
    List<Fault> first = new ArrayList<>(List.of(Fault.values()));
    Collections.shuffle(first, random);
    while (true) {
      sleep(2_000 + random.nextInt(4_000));
      if (System.nanoTime() > end) {
        break;
      }
      Fault fault =
          first.isEmpty() ? Fault.values()[random.nextInt(Fault.values().length)] : first.remove(0);
      inject(fault);
    }
    heal();
  }

  /** Faults injected, by kind. */
  Map<Fault, Integer> injected() {
    return Collections.unmodifiableMap(injected);
  }

  /** When the last fault was injected (System.nanoTime()). */
  long lastFault() {
    return lastFault;
  }

  /** One line per fault: when (s since the start of the faults), what, where. */
  List<String> log() {
    return List.copyOf(log);
  }

  private void inject(Fault fault) {
    String client = FaultSystem.CLIENTS.get(random.nextInt(FaultSystem.CLIENTS.size()));
    FaultProxy proxy = system.proxy(client);
    String what;
    switch (fault) {
      case KILL_CLIENT -> {
        List<String> up =
            FaultSystem.CLIENTS.stream().filter(c -> !restarting.contains(c)).toList();
        if (up.isEmpty()) {
          return;
        }
        client = up.get(random.nextInt(up.size()));
        AppProcess app = system.app(client);
        long down = 500 + random.nextInt(2_500);
        what =
            switch (random.nextInt(3)) {
              case 0 -> {
                kill(app, down);
                yield "SIGKILL " + client + " while it commits (its users' requests never stop)";
              }
              case 1 ->
                  "SIGKILL "
                      + client
                      + " while it pushes (its batch at the hub)"
                      + killAt(system.proxy(client), Moment.PUSH_AT_HUB, app, 0, down);
              default ->
                  "SIGKILL "
                      + client
                      + " while it applies a pulled batch"
                      + killAt(system.proxy(client), Moment.PULL_ANSWER_AT_CLIENT, app, 30, down);
            };
      }
      case KILL_HUB -> {
        if (restarting.contains(FaultSystem.HUB)) {
          return;
        }
        List<String> up =
            FaultSystem.CLIENTS.stream().filter(c -> !restarting.contains(c)).toList();
        if (!up.isEmpty()) { // a client that is up sends the batch or the pull aimed at
          client = up.get(random.nextInt(up.size()));
          proxy = system.proxy(client);
        }
        AppProcess hub = system.app(FaultSystem.HUB);
        long down = 500 + random.nextInt(1_500);
        what =
            random.nextBoolean()
                ? "SIGKILL hub while it applies a batch from "
                    + client
                    + killAt(proxy, Moment.PUSH_AT_HUB, hub, 30, down)
                : "SIGKILL hub while it answers a pull of "
                    + client
                    + killAt(proxy, Moment.PULL_AT_HUB, hub, 10, down);
      }
      case CUT -> {
        int millis = 1_000 + random.nextInt(4_000);
        proxy.cut(millis);
        what = "cut " + client + " <-> hub for " + millis + " ms";
      }
      case DELAY -> {
        int each = 200 + random.nextInt(1_300);
        int millis = 3_000 + random.nextInt(5_000);
        proxy.delay(each, millis);
        what = "delay " + client + " <-> hub by " + each + " ms a message for " + millis + " ms";
      }
      case DROP_ANSWER -> {
        int count = 1 + random.nextInt(3);
        proxy.dropResponses(count);
        what = "drop the hub's next " + count + " answers to " + client;
      }
      case RESET_REQUEST -> {
        proxy.resetRequests(1);
        what = "reset " + client + "'s next request halfway";
      }
      case DUPLICATE_AND_REORDER -> {
        int answered = proxy.replay();
        what = client + "'s last pushes delivered again, newest first (" + answered + " answered)";
      }
      default -> throw new IllegalStateException(fault.toString());
    }
    injected.merge(fault, 1, Integer::sum);
    lastFault = System.nanoTime();
    log.add(String.format("%6.1f s  %s", (System.nanoTime() - started) / 1e9, what));
  }

  /**
   * Kills the process when the moment next comes on the proxy's wire, after 0 to maxDelay ms; at
   * once when it does not come within 5 s.
   *
   * @return what to add to the fault's description
   */
  private String killAt(
      FaultProxy proxy, Moment moment, AppProcess app, int maxDelay, long downMillis) {
    AtomicBoolean claimed = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(1);
    int delay = random.nextInt(maxDelay + 1);
    proxy.onNext(
        moment,
        () -> {
          if (claimed.compareAndSet(false, true)) {
            sleep(delay);
            kill(app, downMillis);
            done.countDown();
          }
        });
    try {
      if (done.await(5, TimeUnit.SECONDS)) {
        return "";
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    proxy.forget(moment);
    if (claimed.compareAndSet(false, true)) {
      kill(app, downMillis);
      return " (that moment did not come within 5 s: killed at once)";
    }
    try {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "";
  }

  private void kill(AppProcess app, long downMillis) {
    restarting.add(app.name());
    app.kill();
    restarts.add(
        CompletableFuture.runAsync(
            () -> {
              try {
                sleep(downMillis);
                app.start().awaitUp(FaultSystem.START);
              } finally {
                restarting.remove(app.name());
              }
            },
            restarter));
  }

  private void heal() {
    for (String client : FaultSystem.CLIENTS) {
      system.proxy(client).heal();
    }
    List<CompletableFuture<Void>> pending;
    synchronized (restarts) {
      pending = new ArrayList<>(restarts);
    }
    pending.forEach(CompletableFuture::join);
    restarter.shutdown();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
