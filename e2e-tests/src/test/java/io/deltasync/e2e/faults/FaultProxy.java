package io.deltasync.e2e.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The network on one link of the system (a client and the hub, or a node and the JMS broker): a TCP
 * proxy on loopback that relays each connection on threads of its own and, on demand, cuts every
 * connection (TCP reset, new ones refused for a while), holds what crosses it back, resets the next
 * message half-way, and swallows the answer to the next message after the far side handled it (the
 * sender cannot know whether its batch arrived). What a message is, and what answers it, the
 * subclass knows: whole HTTP messages ({@link HttpFaultProxy}) or Artemis core frames ({@link
 * JmsFaultProxy}). Thread-safe.
 */
abstract class FaultProxy implements AutoCloseable {

  private final String name;
  private final int target;
  private final ServerSocket server;
  private final ExecutorService threads;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger dropAnswers = new AtomicInteger();
  private final AtomicInteger resetMessages = new AtomicInteger();
  private final Map<String, AtomicLong> happened = new ConcurrentHashMap<>();
  private final Map<Moment, Runnable> onNext = new ConcurrentHashMap<>();
  private volatile long cutUntil;
  private volatile long delayUntil;
  private volatile int delayMillis;

  /**
   * @param name the link's name, for threads and messages
   * @param target the loopback port that every connection is relayed to
   */
  FaultProxy(String name, int target) {
    this.name = name;
    this.target = target;
    try {
      this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.threads =
        Executors.newCachedThreadPool(
            r -> {
              Thread thread = new Thread(r, "proxy-" + name);
              thread.setDaemon(true);
              return thread;
            });
    threads.execute(this::accept);
  }

  /** Moments on the wire that a fault can be aimed at. */
  enum Moment {
    /** HTTP: a push carrying deltas has reached the hub, which is applying it. */
    PUSH_AT_HUB,
    /** HTTP: a pull request has reached the hub, which is answering it. */
    PULL_AT_HUB,
    /** HTTP: a pull answer carrying deltas has reached the client, which is applying it. */
    PULL_ANSWER_AT_CLIENT,
    /** JMS: a node's message (a batch) has reached the broker; its send is not confirmed yet. */
    SENT_TO_BROKER,
    /** JMS: the broker has delivered a message (a batch) to the node, which is applying it. */
    DELIVERED_BY_BROKER
  }

  /** The link's name. */
  String name() {
    return name;
  }

  /** The port that the link's near side connects to. */
  int port() {
    return server.getLocalPort();
  }

  /** Resets every open connection and refuses new ones (reset at once) for the time given. */
  void cut(long millis) {
    cutUntil = System.nanoTime() + millis * 1_000_000L;
    open.forEach(FaultProxy::reset);
  }

  /** Holds each message back for the given milliseconds, in both directions, for a while. */
  void delay(int millisPerMessage, long forMillis) {
    delayMillis = millisPerMessage;
    delayUntil = System.nanoTime() + forMillis * 1_000_000L;
  }

  /** The answers to the next messages, after the far side handled them, swallowed and reset. */
  void dropAnswers(int count) {
    dropAnswers.addAndGet(count);
  }

  /** The next messages reset after half of their bytes went through. */
  void resetMessages(int count) {
    resetMessages.addAndGet(count);
  }

  /** Runs the action, on the connection's thread, when the moment next comes. */
  void onNext(Moment moment, Runnable action) {
    onNext.put(moment, action);
  }

  /** Forgets an action whose moment has not come. */
  void forget(Moment moment) {
    onNext.remove(moment);
  }

  /** Stops faulting: every message passes as it came. */
  void heal() {
    cutUntil = 0;
    delayUntil = 0;
    dropAnswers.set(0);
    resetMessages.set(0);
    onNext.clear();
  }

  /** What the proxy did, by kind, as it happened on the wire. */
  Map<String, Long> happened() {
    Map<String, Long> copy = new TreeMap<>();
    happened.forEach((kind, n) -> copy.put(kind, n.get()));
    return copy;
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    open.forEach(FaultProxy::reset);
    threads.shutdownNow();
  }

  /**
   * Relays one connection until either side ends it or a fault does; returns when it is over (the
   * caller closes both sockets). Runs on the connection's thread; may start others with {@link
   * #spawn}.
   */
  abstract void relay(Socket near, Socket far) throws IOException;

  /** Runs a task on a thread of the proxy's own (the other direction of a connection). */
  final void spawn(Runnable task) {
    threads.execute(task);
  }

  /** Whether the answer to the message just passed is to be dropped (consumes one). */
  final boolean takeDropAnswer() {
    return take(dropAnswers);
  }

  /** Whether the message about to pass is to be reset half-way (consumes one). */
  final boolean takeResetMessage() {
    return take(resetMessages);
  }

  /** Holds the calling direction back while a delay lasts. */
  final void pause() {
    if (System.nanoTime() < delayUntil) {
      count("message delayed");
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Runs the action waiting for the moment, if any. */
  final void fire(Moment moment) {
    Runnable action = onNext.remove(moment);
    if (action != null) {
      action.run();
    }
  }

  /** Counts one thing that happened on the wire. */
  final void count(String kind) {
    happened.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
  }

  /** A connection of the proxy's own to the target (a replay). */
  final Socket connectToTarget() throws IOException {
    return new Socket(InetAddress.getLoopbackAddress(), target);
  }

  /** Closes with a TCP reset (RST), not an orderly FIN. */
  static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException e) {
      // gone already
    }
  }

  private void accept() {
    while (!server.isClosed()) {
      Socket near;
      try {
        near = server.accept();
      } catch (IOException e) {
        return;
      }
      if (System.nanoTime() < cutUntil) {
        count("connection refused by a cut");
        reset(near);
        continue;
      }
      threads.execute(() -> open(near));
    }
  }

  private void open(Socket near) {
    open.add(near);
    try (near;
        Socket far = connectToTarget()) {
      open.add(far);
      // as the endpoints do: without it, small frames wait for the peer's delayed ACK (Nagle)
      near.setTcpNoDelay(true);
      far.setTcpNoDelay(true);
      try {
        relay(near, far);
      } finally {
        open.remove(far);
      }
    } catch (IOException e) {
      // a cut, a reset, or a peer that went away: the sender finds out by itself
    } finally {
      open.remove(near);
    }
  }

  private static boolean take(AtomicInteger armed) {
    return armed.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
  }

  @Override
  public String toString() {
    return name + " -> :" + target;
  }
}
