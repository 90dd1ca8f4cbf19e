package io.deltasync.e2e.faults;

import io.deltasync.e2e.support.AppProcess;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * What the shop's users do on every client while the nemesis works: one thread per client, each
 * operation one request to the client's own web API (one MyBatis transaction there, captured).
 * Witnessed operations ({@code n = n + 1} on the client's counter, {@code qty = qty - 1} on a
 * shared item, each with its {@code op_log} row in the same transaction) are recorded as {@link
 * Outcome#ACKED} when the shop answered that it committed, and as {@link Outcome#UNKNOWN} when the
 * request went out and got no answer or an error (the process may have died before, during or after
 * its commit); the client's own database settles those after the run. A request that could not
 * connect never reached the shop and is not recorded. Notes and items are ordinary inserts and
 * updates, checked by the final comparison of every database.
 */
final class Workload {

  /** Items every client takes from, present everywhere before the workload starts. */
  static final List<Long> SHARED_ITEMS = List.of(1L, 2L, 3L);

  static final int SHARED_QTY = 1_000_000;

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** How a witnessed operation ended, as its caller saw it. */
  enum Outcome {
    ACKED,
    UNKNOWN
  }

  /** What a request got back. */
  private enum Answer {
    /** The shop answered that the statement changed one row and its transaction committed. */
    COMMITTED,
    /** The shop answered otherwise (an error: its transaction rolled back, or so it says). */
    REFUSED,
    /** No connection: the request never reached the shop (its process is down). */
    NOT_SENT,
    /** The request went out and no answer came (the process died, or its connection). */
    UNANSWERED
  }

  /** One witnessed operation: its log row's id, its client, kind ("inc", "take") and target. */
  record Op(String id, String node, String kind, String target, Outcome outcome) {}

  private final Map<String, AppProcess> clients;
  private final long seed;
  private final ConcurrentLinkedQueue<Op> ops = new ConcurrentLinkedQueue<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running;

  /**
   * @param clients the clients' processes by node id
   * @param seed the run's seed, from which each client's choice of operations derives
   */
  Workload(Map<String, AppProcess> clients, long seed) {
    this.clients = clients;
    this.seed = seed;
  }

  /** Before the faults: each client's counter row, and the shared items (from the first client). */
  void setUp() {
    clients.forEach((node, app) -> require(app, "/shop/counters/" + node, Map.of()));
    AppProcess first = clients.values().iterator().next();
    for (long item : SHARED_ITEMS) {
      require(
          first,
          "/shop/items/" + item,
          Map.of("name", "shared-" + item, "qty", String.valueOf(SHARED_QTY), "price", "2.50"));
    }
  }

  /** Starts one thread per client. */
  void start() {
    running = true;
    int index = 0;
    for (Map.Entry<String, AppProcess> client : clients.entrySet()) {
      Random random = new Random(seed + 31L * ++index);
      long base = index * 10_000_000L;
      Thread thread =
          new Thread(() -> run(client.getKey(), client.getValue(), random, base), "workload");
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  /** Stops the threads after their current operation. */
  void stop() {
    running = false;
    for (Thread thread : threads) {
      try {
        thread.join(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Every witnessed operation tried so far. */
  List<Op> ops() {
    return List.copyOf(ops);
  }

  private void run(String node, AppProcess app, Random random, long base) {
    long opNo = 0;
    long nextNote = base;
    long nextItem = base + 5_000_000L;
    List<Long> notes = new ArrayList<>();
    while (running) {
      int dice = random.nextInt(100);
      boolean done;
      if (dice < 40) {
        String id = node + "-" + ++opNo;
        Answer answer =
            send(app, "/shop/counters/" + node + "/increment", Map.of("op", id, "opNo", "" + opNo));
        record(new Op(id, node, "inc", node, null), answer);
        done = answer == Answer.COMMITTED;
      } else if (dice < 55) {
        String id = node + "-" + ++opNo;
        long item = SHARED_ITEMS.get(random.nextInt(SHARED_ITEMS.size()));
        Answer answer =
            send(
                app,
                "/shop/items/" + item + "/take-one",
                Map.of("node", node, "op", id, "opNo", "" + opNo));
        record(new Op(id, node, "take", String.valueOf(item), null), answer);
        done = answer == Answer.COMMITTED;
      } else if (dice < 70 || notes.isEmpty()) {
        long id = ++nextNote;
        if (post(app, "/shop/notes/" + id, Map.of("title", "note " + id, "by", node))) {
          notes.add(id);
        }
        done = true;
      } else if (dice < 90) {
        long id = notes.get(random.nextInt(notes.size()));
        String body = "edit " + random.nextInt(1_000_000) + " by " + node;
        post(app, "/shop/notes/" + id + "/body", Map.of("body", body, "by", node));
        done = true;
      } else {
        long id = ++nextItem;
        post(
            app,
            "/shop/items/" + id,
            Map.of("name", "item " + id, "qty", "" + random.nextInt(100), "price", "1.25"));
        done = true;
      }
      pause(done ? 20 + random.nextInt(40) : 250);
    }
  }

  private void record(Op op, Answer answer) {
    if (answer != Answer.NOT_SENT) {
      Outcome outcome = answer == Answer.COMMITTED ? Outcome.ACKED : Outcome.UNKNOWN;
      ops.add(new Op(op.id(), op.node(), op.kind(), op.target(), outcome));
    }
  }

  private static void require(AppProcess app, String path, Map<String, String> form) {
    if (!post(app, path, form)) {
      throw new IllegalStateException(app.name() + " refused " + path + ":\n" + app.logTail());
    }
  }

  /** Whether the shop answered that the statement changed one row and its transaction committed. */
  private static boolean post(AppProcess app, String path, Map<String, String> form) {
    return send(app, path, form) == Answer.COMMITTED;
  }

  private static Answer send(AppProcess app, String path, Map<String, String> form) {
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(app.url() + path))
                  .timeout(Duration.ofSeconds(15))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().trim().equals("1")
          ? Answer.COMMITTED
          : Answer.REFUSED;
    } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
      return Answer.NOT_SENT;
    } catch (IOException e) {
      return Answer.UNANSWERED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Answer.UNANSWERED;
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
