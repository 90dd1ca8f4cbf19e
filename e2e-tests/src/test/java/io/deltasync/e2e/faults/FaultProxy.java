package io.deltasync.e2e.faults;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The network between one client and the hub: a TCP proxy on loopback that passes HTTP messages
 * whole, one request and its response at a time, and on demand cuts connections, delays them,
 * resets them in the middle of a request, swallows a response after the hub has handled its request
 * (the sender cannot know whether its batch arrived), and delivers earlier push requests again in
 * reverse order and an earlier pull answer again (duplicated and reordered deliveries).
 * Thread-safe; each connection runs on a thread of its own.
 */
final class FaultProxy implements AutoCloseable {

  private static final String PUSH = "/deltasync/batches";
  private static final String PULL = "/deltasync/feed";
  private static final int KEPT = 6;

  private final String name;
  private final int target;
  private final ServerSocket server;
  private final ExecutorService threads;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Deque<byte[]> pushes = new ArrayDeque<>();
  private final AtomicInteger dropResponses = new AtomicInteger();
  private final AtomicInteger resetRequests = new AtomicInteger();
  private final Map<String, AtomicLong> happened = new ConcurrentHashMap<>();
  private final Map<Moment, Runnable> onNext = new ConcurrentHashMap<>();
  private volatile long cutUntil;
  private volatile long delayUntil;
  private volatile int delayMillis;
  private volatile byte[] lastPull;
  private volatile boolean stalePullArmed;

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

  /** Its URL, for the client's {@code deltasync.ship.upstream-url}. */
  String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
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

  /** The next responses, after the hub handled their requests, are swallowed and reset. */
  void dropResponses(int count) {
    dropResponses.addAndGet(count);
  }

  /** The next requests are reset after half of their bytes reached the hub. */
  void resetRequests(int count) {
    resetRequests.addAndGet(count);
  }

  /**
   * Delivers the pushes kept so far to the hub again, newest first (duplicated and reordered), and
   * answers the client's next pull with the last pull answer it already got (a stale duplicate).
   *
   * @return how many pushes the hub answered
   */
  int replay() {
    List<byte[]> again;
    synchronized (pushes) {
      again = new ArrayList<>(pushes);
    }
    stalePullArmed = lastPull != null;
    int answered = 0;
    java.util.Collections.reverse(again);
    for (byte[] request : again) {
      try (Socket hub = new Socket(InetAddress.getLoopbackAddress(), target)) {
        hub.setSoTimeout(30_000);
        hub.getOutputStream().write(request);
        hub.getOutputStream().flush();
        HttpMessage.readResponse(new BufferedInputStream(hub.getInputStream()));
        answered++;
        count("push delivered again");
      } catch (IOException e) {
        count("push replay not answered");
      }
    }
    return answered;
  }

  /** Moments on the wire that a fault can be aimed at. */
  enum Moment {
    /** A push carrying deltas has reached the hub, which is applying it. */
    PUSH_AT_HUB,
    /** A pull request has reached the hub, which is answering it. */
    PULL_AT_HUB,
    /** A pull answer carrying deltas has reached the client, which is applying it. */
    PULL_ANSWER_AT_CLIENT
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
    dropResponses.set(0);
    resetRequests.set(0);
    stalePullArmed = false;
    onNext.clear();
  }

  /** What the proxy did, by kind, as it happened on the wire. */
  Map<String, Long> happened() {
    Map<String, Long> copy = new java.util.TreeMap<>();
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

  private void accept() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      if (System.nanoTime() < cutUntil) {
        count("connection refused by a cut");
        reset(client);
        continue;
      }
      threads.execute(() -> relay(client));
    }
  }

  private void relay(Socket client) {
    open.add(client);
    try (client;
        Socket hub = new Socket(InetAddress.getLoopbackAddress(), target)) {
      open.add(hub);
      try {
        InputStream fromClient = new BufferedInputStream(client.getInputStream());
        OutputStream toClient = client.getOutputStream();
        InputStream fromHub = new BufferedInputStream(hub.getInputStream());
        OutputStream toHub = hub.getOutputStream();
        for (HttpMessage request = HttpMessage.readRequest(fromClient);
            request != null;
            request = HttpMessage.readRequest(fromClient)) {
          pause();
          if (take(resetRequests)) {
            toHub.write(request.bytes(), 0, request.bytes().length / 2);
            toHub.flush();
            count("request reset halfway");
            reset(hub);
            reset(client);
            return;
          }
          toHub.write(request.bytes());
          toHub.flush();
          boolean push = request.path().endsWith(PUSH);
          boolean pull = request.path().endsWith(PULL);
          if (push) {
            keep(request.bytes());
            if (request.deltaCount() > 0) {
              fire(Moment.PUSH_AT_HUB);
            }
          }
          if (pull) {
            fire(Moment.PULL_AT_HUB);
          }
          HttpMessage response = HttpMessage.readResponse(fromHub);
          if (take(dropResponses)) {
            count(push ? "push answer dropped" : pull ? "pull answer dropped" : "answer dropped");
            reset(hub);
            reset(client);
            return;
          }
          byte[] answer = response.bytes();
          if (pull && response.status() == 200) {
            if (stalePullArmed && lastPull != null) {
              stalePullArmed = false;
              answer = lastPull;
              count("stale pull answer delivered");
            } else {
              lastPull = answer;
            }
          }
          pause();
          toClient.write(answer);
          toClient.flush();
          if (pull && response.deltaCount() > 0) {
            fire(Moment.PULL_ANSWER_AT_CLIENT);
          }
        }
      } finally {
        open.remove(hub);
      }
    } catch (IOException e) {
      // a cut, a reset, or a peer that went away: the sender finds out by itself
    } finally {
      open.remove(client);
    }
  }

  private void fire(Moment moment) {
    Runnable action = onNext.remove(moment);
    if (action != null) {
      action.run();
    }
  }

  private void keep(byte[] request) {
    synchronized (pushes) {
      pushes.addLast(request);
      while (pushes.size() > KEPT) {
        pushes.removeFirst();
      }
    }
  }

  private void pause() {
    if (System.nanoTime() < delayUntil) {
      count("message delayed");
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void count(String kind) {
    happened.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
  }

  private static boolean take(AtomicInteger armed) {
    return armed.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
  }

  /** Closes with a TCP reset (RST), not an orderly FIN. */
  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException e) {
      // gone already
    }
  }

  @Override
  public String toString() {
    return name + " -> :" + target;
  }
}
