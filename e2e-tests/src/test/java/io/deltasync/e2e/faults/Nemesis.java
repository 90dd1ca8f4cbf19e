package io.deltasync.e2e.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Injects faults at seeded random moments while the workload runs, 2 to 6 s apart: every kind once,
 * a client's freeze and then the hub's first (they last up to about 70 s and must end within the
 * phase) and the others in a shuffled order, then kinds drawn at random. A kind whose target is
 * down or frozen waits for a later turn (drawn at random, it lets its turn pass); a freeze is
 * started only when it ends within the phase, and while a node is frozen the faults leave its links
 * and the processes that wait on it (the HTTP clients of a frozen hub) alone, so that what ends its
 * connections is the timeout of the side that waits on it, not a cut or a kill. Kills and freezes
 * ({@link ProcessFaults}) are aimed at what the wire shows (over HTTP a push with deltas reaching
 * the hub, a pull reaching it, a pull answer with deltas reaching a client; over JMS a batch sent
 * to the broker, a batch the broker delivers), plus 0 to 30 ms, so that they land while a batch is
 * being applied or answered; a killed process starts again on its data after a short pause, a
 * frozen one runs on once its timeout has passed, both in the background while the faults go on.
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
    /**
     * SIGSTOP of a client's JVM while it pushes (its batch at the hub, or sent to the broker) or
     * applies a pulled or delivered batch (just handed to it), SIGCONT past the timeouts on its
     * link: 32 to 35 s for an HTTP client (its routes' 30 s HTTP timeouts), 66 to 69 s for the JMS
     * client (the broker's 60 s connection TTL, checked every 2 s, after which the broker gives up
     * its session).
     */
    FREEZE_CLIENT,
    /**
     * SIGSTOP of the hub's JVM while it applies a batch (pushed, or delivered by the broker) or
     * answers a pull (or sends the JMS client a batch), SIGCONT 32 to 35 s later, past its HTTP
     * clients' 30 s timeouts and its own 5 s failover timeout.
     */
    FREEZE_HUB,
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

  /**
   * First in the first round, in this order: each then ends within the phase, and the hub's, which
   * a frozen client does not hold back, never waits for the client's to end.
   */
  private static final EnumSet<Fault> FREEZES = EnumSet.of(Fault.FREEZE_CLIENT, Fault.FREEZE_HUB);

  private static final List<String> HTTP_CLIENTS =
      FaultSystem.CLIENTS.stream().filter(c -> !FaultSystem.overJms(c)).toList();

  /** The nodes with a link to the broker. */
  private static final List<String> JMS_NODES = List.of(FaultSystem.JMS_CLIENT, FaultSystem.HUB);

  private final FaultSystem system;
  private final Random random;
  private final ProcessFaults processes;
  private final Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final long started = System.nanoTime();
  private volatile long lastFault = started;

  Nemesis(FaultSystem system, Random random) {
    this.system = system;
    this.random = random;
    this.processes = new ProcessFaults(system, random, this::note);
  }

  /**
   * Injects faults for the given time, then heals the network and waits for every restart and
   * resume. Leaves no process frozen, whatever happens: after a failure or an interrupt it resumes
   * them at once.
   */
  void run(Duration phase) {
    long end = System.nanoTime() + phase.toNanos();
    List<Fault> first = new ArrayList<>(EnumSet.complementOf(FREEZES));
    Collections.shuffle(first, random);
    first.addAll(0, FREEZES);
    boolean healed = false;
    try {
      while (true) {
        sleep(2_000 + random.nextInt(4_000));
        long left = end - System.nanoTime();
        if (left <= 0) {
          break;
        }
        // a kind drawn that cannot strike now lets the turn pass: drawing among those that can
        // would make the kills, nearly the only ones left while the hub is frozen, hit its clients
        // before their timeouts do
        Fault fault =
            first.stream()
                .filter(kind -> possible(kind, left))
                .findFirst()
                .orElseGet(() -> Fault.values()[random.nextInt(Fault.values().length)]);
        if (possible(fault, left)) {
          inject(fault, left);
          first.remove(fault);
        }
      }
      if (!first.isEmpty()) {
        note("not injected, the phase ended first: " + first);
      }
      heal();
      healed = true;
    } finally {
      if (!healed) {
        processes.resumeAll();
      }
    }
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

  /**
   * Whether the fault can strike now, with so many nanoseconds of the phase left. While a node is
   * frozen, the faults leave its links alone, and the processes that wait on it (the HTTP clients
   * on a frozen hub), so that what ends its connections, and the requests in flight to it, is the
   * other side's timeout, not a cut or a kill; a freeze must end within the phase.
   */
  private boolean possible(Fault fault, long left) {
    return switch (fault) {
      case KILL_CLIENT -> !targets(FaultSystem.CLIENTS).isEmpty();
      case KILL_HUB -> !targets(List.of(FaultSystem.HUB)).isEmpty();
      case FREEZE_CLIENT -> !freezable(FaultSystem.CLIENTS, left).isEmpty();
      case FREEZE_HUB -> !freezable(List.of(FaultSystem.HUB), left).isEmpty();
      case JMS_CUT, JMS_DELAY, JMS_DROP_ANSWER, JMS_RESET -> !unfrozen(JMS_NODES).isEmpty();
      default -> !processes.frozen(FaultSystem.HUB) && !unfrozen(HTTP_CLIENTS).isEmpty();
    };
  }

  /** The nodes that are up and do not wait on a frozen node. */
  private List<String> targets(List<String> nodes) {
    return nodes.stream()
        .filter(processes::up)
        .filter(node -> !(HTTP_CLIENTS.contains(node) && processes.frozen(FaultSystem.HUB)))
        .toList();
  }

  private List<String> unfrozen(List<String> nodes) {
    return nodes.stream().filter(node -> !processes.frozen(node)).toList();
  }

  /** The targets whose freeze ends within the time left. */
  private List<String> freezable(List<String> nodes, long left) {
    return targets(nodes).stream()
        .filter(node -> ProcessFaults.longestFreeze(node).toNanos() < left)
        .toList();
  }

  private <T> T any(List<T> choices) {
    return choices.get(random.nextInt(choices.size()));
  }

  private void inject(Fault fault, long left) {
    String what =
        switch (fault) {
          case KILL_CLIENT -> processes.killClient(any(targets(FaultSystem.CLIENTS)));
          case KILL_HUB -> processes.killHub(sender());
          case FREEZE_CLIENT -> processes.freezeClient(any(freezable(FaultSystem.CLIENTS, left)));
          case FREEZE_HUB -> processes.freezeHub(sender());
          case JMS_CUT, JMS_DELAY, JMS_DROP_ANSWER, JMS_RESET -> onTheWire(fault, true);
          default -> onTheWire(fault, false);
        };
    injected.merge(fault, 1, Integer::sum);
    lastFault = System.nanoTime();
    note(what);
  }

  /** A client that is up, to send the batch or the pull that a fault on the hub is aimed at. */
  private String sender() {
    List<String> up = FaultSystem.CLIENTS.stream().filter(processes::up).toList();
    return up.isEmpty() ? any(HTTP_CLIENTS) : any(up);
  }

  /** A network fault on an HTTP link, or a JMS link, whose ends both run. */
  private String onTheWire(Fault fault, boolean jms) {
    String client = jms ? null : any(unfrozen(HTTP_CLIENTS));
    HttpFaultProxy proxy = jms ? null : system.httpProxy(client);
    String jmsNode = jms ? any(unfrozen(JMS_NODES)) : null;
    FaultProxy link = jms ? system.jmsProxy(jmsNode) : proxy;
    String where = jms ? jmsNode + " <-> broker (JMS)" : client + " <-> hub";
    return switch (fault) {
      case CUT, JMS_CUT -> {
        int millis = 1_000 + random.nextInt(4_000);
        link.cut(millis);
        yield "cut " + where + " for " + millis + " ms";
      }
      case DELAY, JMS_DELAY -> {
        int each = 200 + random.nextInt(1_300);
        int millis = 3_000 + random.nextInt(5_000);
        link.delay(each, millis);
        yield "delay " + where + " by " + each + " ms a message for " + millis + " ms";
      }
      case DROP_ANSWER, JMS_DROP_ANSWER -> {
        int count = 1 + random.nextInt(3);
        link.dropAnswers(count);
        yield jms
            ? "drop the broker's confirmations of "
                + jmsNode
                + "'s next "
                + count
                + " sends or commits (JMS)"
            : "drop the hub's next " + count + " answers to " + client;
      }
      case RESET_REQUEST, JMS_RESET -> {
        link.resetMessages(1);
        yield jms
            ? "reset the next batch between " + jmsNode + " and the broker halfway (JMS)"
            : "reset " + client + "'s next request halfway";
      }
      case DUPLICATE_AND_REORDER -> {
        int answered = proxy.replay();
        yield client + "'s last pushes delivered again, newest first (" + answered + " answered)";
      }
      default -> throw new IllegalStateException(fault.toString());
    };
  }

  private void heal() {
    system.proxies().forEach(FaultProxy::heal);
    processes.settle();
  }

  /** Adds a line to the log, with the time since the start of the faults. */
  private void note(String what) {
    log.add(String.format("%6.1f s  %s", (System.nanoTime() - started) / 1e9, what));
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
