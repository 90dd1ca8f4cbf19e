package io.deltasync.e2e.faults;

import io.deltasync.e2e.support.AppProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.activemq.artemis.api.config.ActiveMQDefaultConfiguration;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;

/**
 * The nemesis's faults on processes: SIGKILL of a node's JVM, started again on its data a little
 * later, and SIGSTOP of one, resumed with SIGCONT past the timeouts on its link (so that the other
 * side has given up on what the frozen node had started, and sent it again, when it goes on). Each
 * is aimed at a moment on the wire of the node's link (a batch of it at the hub or at the broker, a
 * batch handed to it), plus a few milliseconds, so that it lands while a batch is being applied,
 * answered or sent; a kill "while it commits" is not aimed (each client's users send requests
 * without pause). Restarts and resumes run in the background while the faults go on; a node being
 * restarted or frozen is not picked again until it runs. Thread-safe.
 */
final class ProcessFaults {

  /**
   * The HTTP routes' connect and response timeout: the {@code timeout} parameter of the {@code
   * deltasync-http-push} and {@code deltasync-http-pull} templates, which the shipped {@code
   * http-push} and {@code http-pull} route files leave at its default.
   */
  static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);

  /**
   * How long the broker may keep a connection that it hears nothing from before it closes it, which
   * ends its sessions and puts their unacknowledged deliveries back on the queue: Artemis's
   * connection TTL for a core client (the nodes' broker URLs set none, the broker overrides none),
   * plus two of the broker's checks for it (one every connection-ttl-check-interval, 2 s).
   */
  static final Duration JMS_SESSION_TIMEOUT =
      Duration.ofMillis(
          ActiveMQClient.DEFAULT_CONNECTION_TTL
              + 2 * ActiveMQDefaultConfiguration.getDefaultConnectionTtlCheckInterval());

  /** A freeze lasts its timeout plus this, plus 0 to {@link #FREEZE_SPREAD} ms. */
  private static final int FREEZE_PAST = 2_000;

  private static final int FREEZE_SPREAD = 3_000;

  private final FaultSystem system;
  private final Random random;
  private final Consumer<String> log;
  private final Set<String> busy = ConcurrentHashMap.newKeySet();
  private final List<CompletableFuture<Void>> background =
      Collections.synchronizedList(new ArrayList<>());
  private final ExecutorService worker =
      Executors.newCachedThreadPool(
          r -> {
            Thread thread = new Thread(r, "restart-or-resume");
            thread.setDaemon(true);
            return thread;
          });

  /**
   * @param log where a resume is told, as it happens
   */
  ProcessFaults(FaultSystem system, Random random, Consumer<String> log) {
    this.system = system;
    this.random = random;
    this.log = log;
  }

  /**
   * How long a freeze of the node lasts at most, the wait for its moment included: past the HTTP
   * timeouts for the hub (its clients give up on their requests in flight) and the HTTP clients,
   * past the broker's session timeout for the JMS client (the broker gives up its session).
   */
  static Duration longestFreeze(String node) {
    return timeout(node).plus(Duration.ofMillis(FREEZE_PAST + FREEZE_SPREAD)).plus(Aim.WAIT);
  }

  /** Whether the node runs, neither killed and not yet back nor frozen. */
  boolean up(String node) {
    return !busy.contains(node);
  }

  /** Whether the node is frozen. */
  boolean frozen(String node) {
    return system.app(node).frozen();
  }

  /** Kills a client while it commits, pushes or applies, over its own transport. */
  String killClient(String client) {
    long down = 500 + random.nextInt(2_500);
    AppProcess app = system.app(client);
    int when = random.nextInt(3);
    if (when == 0) {
      kill(app, down);
      return "SIGKILL " + client + " while it commits (its users' requests never stop)";
    }
    Aim aim = Aim.atClient(system, client, when == 2);
    return "SIGKILL "
        + client
        + " "
        + aim.what()
        + aim.strike(random, () -> kill(app, down), "killed");
  }

  /** Kills the hub while it applies the client's batch or answers it, over its transport. */
  String killHub(String client) {
    long down = 500 + random.nextInt(1_500);
    Aim aim = Aim.atHub(system, client, random.nextBoolean());
    return "SIGKILL hub "
        + aim.what()
        + aim.strike(random, () -> kill(system.app(FaultSystem.HUB), down), "killed");
  }

  /** Freezes a client while it pushes (sends) or applies, over its own transport. */
  String freezeClient(String client) {
    Aim aim = Aim.atClient(system, client, random.nextBoolean());
    long millis = freezeMillis(client);
    return "SIGSTOP "
        + client
        + " "
        + aim.what()
        + " for "
        + seconds(millis)
        + (FaultSystem.overJms(client)
            ? " (past the broker's connection TTL, "
                + seconds(ActiveMQClient.DEFAULT_CONNECTION_TTL)
            : " (past its HTTP routes' timeouts, " + seconds(HTTP_TIMEOUT.toMillis()))
        + ")"
        + aim.strike(random, () -> freeze(system.app(client), millis), "frozen");
  }

  /** Freezes the hub while it applies the client's batch or answers it, over its transport. */
  String freezeHub(String client) {
    Aim aim = Aim.atHub(system, client, random.nextBoolean());
    long millis = freezeMillis(FaultSystem.HUB);
    return "SIGSTOP hub "
        + aim.what()
        + " for "
        + seconds(millis)
        + " (past its HTTP clients' timeouts, "
        + seconds(HTTP_TIMEOUT.toMillis())
        + ")"
        + aim.strike(random, () -> freeze(system.app(FaultSystem.HUB), millis), "frozen");
  }

  /** Waits until every killed process answers again and every frozen one runs again. */
  void settle() {
    List<CompletableFuture<Void>> pending;
    synchronized (background) {
      pending = new ArrayList<>(background);
    }
    pending.forEach(CompletableFuture::join);
    worker.shutdown();
  }

  /**
   * Resumes every frozen process at once and starts no other (after a failure or an interrupt: no
   * process is left stopped).
   */
  void resumeAll() {
    worker.shutdownNow();
    system.nodes().forEach(node -> system.app(node).resume());
  }

  private void kill(AppProcess app, long downMillis) {
    busy.add(app.name());
    app.kill();
    inBackground(
        () -> {
          try {
            sleep(downMillis);
            app.start().awaitUp(FaultSystem.START);
          } finally {
            busy.remove(app.name());
          }
        });
  }

  private void freeze(AppProcess app, long millis) {
    app.freeze();
    busy.add(app.name());
    long frozenAt = System.nanoTime();
    try {
      inBackground(
          () -> {
            try {
              TimeUnit.NANOSECONDS.sleep(frozenAt + millis * 1_000_000L - System.nanoTime());
            } catch (InterruptedException e) {
              // the run ends early: resume now
            } finally {
              resume(app, frozenAt);
            }
          });
    } catch (RejectedExecutionException e) {
      resume(app, frozenAt); // the run has ended meanwhile
    }
  }

  private void resume(AppProcess app, long frozenAt) {
    try {
      app.resume();
      log.accept(
          "SIGCONT "
              + app.name()
              + " after "
              + seconds((System.nanoTime() - frozenAt) / 1_000_000));
    } finally {
      busy.remove(app.name());
    }
  }

  private void inBackground(Runnable task) {
    background.add(CompletableFuture.runAsync(task, worker));
  }

  private long freezeMillis(String node) {
    return timeout(node).toMillis() + FREEZE_PAST + random.nextInt(FREEZE_SPREAD);
  }

  /** The timeout of the side that waits on a frozen node. */
  private static Duration timeout(String node) {
    return FaultSystem.overJms(node) ? JMS_SESSION_TIMEOUT : HTTP_TIMEOUT;
  }

  private static String seconds(long millis) {
    return String.format("%.1f s", millis / 1e3);
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
