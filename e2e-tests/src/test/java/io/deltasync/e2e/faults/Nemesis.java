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
 * order, then kinds drawn at random, 2 to 6 s apart. Kills are aimed at what the wire shows (over
 * HTTP a push with deltas reaching the hub, a pull reaching it, a pull answer with deltas reaching
 * a client; over JMS a batch sent to the broker, a batch the broker delivers), plus 0 to 30 ms, so
 * that they land while a batch is being applied or answered; a kill "while it commits" is not aimed
 * (each client's users send requests without pause, so one is nearly always in flight). A killed
 * process starts again on its data after a short pause, in the background, while the faults go on.
 * Network faults of the HTTP kinds hit a link between an HTTP client and the hub; those of the JMS
 * kinds the link between the JMS client and the broker or the hub's link to the broker (which
 * carries only the JMS client's two streams).
 */
final class Nemesis {

  /** The kinds of fault. */
  enum Fault {
    /**
     * SIGKILL of a client's JVM while it commits, pushes (its batch at the hub, or sent to the
     * broker) or applies a pulled or delivered batch (just handed to it), restarted 0.5 to 3 s
     * later.
     */
    KILL_CLIENT,
    /**
     * SIGKILL of the hub's JVM while it applies a batch (pushed, or delivered by the broker) or
     * answers a pull (or sends the JMS client a batch), restarted 0.5 to 2 s later.
     */
    KILL_HUB,
    /** An HTTP client's connections to the hub reset, and new ones refused, for 1 to 5 s. */
    CUT,
    /** Every message between an HTTP client and the hub held back 0.2 to 1.5 s, for 3 to 8 s. */
    DELAY,
    /** The next 1 to 3 answers of the hub to an HTTP client swallowed and the connection reset. */
    DROP_ANSWER,
    /** The next request of an HTTP client reset after half of it reached the hub. */
    RESET_REQUEST,
    /**
     * An HTTP client's last pushes delivered to the hub again, newest first; its next pull stale.
     */
    DUPLICATE_AND_REORDER,
    /** A JMS link's connections to the broker reset, and new ones refused, for 1 to 5 s. */
    JMS_CUT,
    /** Every frame on a JMS link held back 0.2 to 1.5 s, both ways, for 3 to 8 s. */
    JMS_DELAY,
    /**
     * The broker's confirmations of the next 1 to 3 sends or transaction commits on a JMS link
     * swallowed and the connection reset: the node cannot know whether its batch reached the queue
     * or whether the batch it applied left it.
     */
    JMS_DROP_ANSWER,
    /** The next batch on a JMS link, sent or delivered, reset after half of its bytes. */
    JMS_RESET
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
    List<String> overHttp =
        FaultSystem.CLIENTS.stream().filter(c -> !FaultSystem.overJms(c)).toList();
    String client = overHttp.get(random.nextInt(overHttp.size()));
    HttpFaultProxy proxy = system.httpProxy(client);
    String jmsNode = random.nextBoolean() ? FaultSystem.JMS_CLIENT : FaultSystem.HUB;
    JmsFaultProxy link = system.jmsProxy(jmsNode);
    boolean jms = fault.name().startsWith("JMS_");
    String where = jms ? jmsNode + " <-> broker (JMS)" : client + " <-> hub";
    String what;
    switch (fault) {
      case KILL_CLIENT -> {
        List<String> up =
            FaultSystem.CLIENTS.stream().filter(c -> !restarting.contains(c)).toList();
        if (up.isEmpty()) {
          return;
        }
        client = up.get(random.nextInt(up.size()));
        what = killClient(client, system.app(client), 500 + random.nextInt(2_500));
      }
      case KILL_HUB -> {
        if (restarting.contains(FaultSystem.HUB)) {
          return;
        }
        List<String> up =
            FaultSystem.CLIENTS.stream().filter(c -> !restarting.contains(c)).toList();
        if (!up.isEmpty()) { // a client that is up sends the batch or the pull aimed at
          client = up.get(random.nextInt(up.size()));
        }
        what = killHub(client, system.app(FaultSystem.HUB), 500 + random.nextInt(1_500));
      }
      case CUT, JMS_CUT -> {
        int millis = 1_000 + random.nextInt(4_000);
        (jms ? link : proxy).cut(millis);
        what = "cut " + where + " for " + millis + " ms";
      }
      case DELAY, JMS_DELAY -> {
        int each = 200 + random.nextInt(1_300);
        int millis = 3_000 + random.nextInt(5_000);
        (jms ? link : proxy).delay(each, millis);
        what = "delay " + where + " by " + each + " ms a message for " + millis + " ms";
      }
      case DROP_ANSWER, JMS_DROP_ANSWER -> {
        int count = 1 + random.nextInt(3);
        (jms ? link : proxy).dropAnswers(count);
        what =
            jms
                ? "drop the broker's confirmations of "
                    + jmsNode
                    + "'s next "
                    + count
                    + " sends or commits (JMS)"
                : "drop the hub's next " + count + " answers to " + client;
      }
      case RESET_REQUEST, JMS_RESET -> {
        (jms ? link : proxy).resetMessages(1);
        what =
            jms
                ? "reset the next batch between " + jmsNode + " and the broker halfway (JMS)"
                : "reset " + client + "'s next request halfway";
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

  /** Kills a client while it commits, pushes or applies, over its own transport. */
  private String killClient(String client, AppProcess app, long down) {
    boolean jms = FaultSystem.overJms(client);
    return switch (random.nextInt(3)) {
      case 0 -> {
        kill(app, down);
        yield "SIGKILL " + client + " while it commits (its users' requests never stop)";
      }
      case 1 ->
          jms
              ? "SIGKILL "
                  + client
                  + " while it sends a batch (at the broker, not yet confirmed)"
                  + killAt(system.jmsProxy(client), Moment.SENT_TO_BROKER, app, 0, down)
              : "SIGKILL "
                  + client
                  + " while it pushes (its batch at the hub)"
                  + killAt(system.httpProxy(client), Moment.PUSH_AT_HUB, app, 0, down);
      default ->
          jms
              ? "SIGKILL "
                  + client
                  + " while it applies a batch the broker delivered"
                  + killAt(system.jmsProxy(client), Moment.DELIVERED_BY_BROKER, app, 30, down)
              : "SIGKILL "
                  + client
                  + " while it applies a pulled batch"
                  + killAt(system.httpProxy(client), Moment.PULL_ANSWER_AT_CLIENT, app, 30, down);
    };
  }

  /** Kills the hub while it applies the client's batch or answers it, over its transport. */
  private String killHub(String client, AppProcess hub, long down) {
    boolean applies = random.nextBoolean();
    if (FaultSystem.overJms(client)) {
      JmsFaultProxy link = system.jmsProxy(FaultSystem.HUB);
      return applies
          ? "SIGKILL hub while it applies a batch from "
              + client
              + " (delivered by the broker)"
              + killAt(link, Moment.DELIVERED_BY_BROKER, hub, 30, down)
          : "SIGKILL hub while it sends "
              + client
              + " a batch (at the broker, not yet confirmed)"
              + killAt(link, Moment.SENT_TO_BROKER, hub, 10, down);
    }
    HttpFaultProxy proxy = system.httpProxy(client);
    return applies
        ? "SIGKILL hub while it applies a batch from "
            + client
            + killAt(proxy, Moment.PUSH_AT_HUB, hub, 30, down)
        : "SIGKILL hub while it answers a pull of "
            + client
            + killAt(proxy, Moment.PULL_AT_HUB, hub, 10, down);
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
    system.proxies().forEach(FaultProxy::heal);
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
