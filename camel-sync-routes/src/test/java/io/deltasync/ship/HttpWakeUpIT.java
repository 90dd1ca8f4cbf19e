package io.deltasync.ship;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.delta.DeltaBatch;
import io.deltasync.schema.TestDatabases;
import io.deltasync.ship.support.Eventually;
import io.deltasync.ship.support.HttpPeer;
import io.deltasync.ship.support.ShipNode;
import io.deltasync.ship.support.ThreeNodes;
import io.deltasync.testing.Note;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.spi.InflightRepository;
import org.apache.camel.spi.RouteController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * A hub and two clients over real HTTP whose push and pull routes poll only once a minute: a change
 * reaches the other client within seconds only through the wake-ups, the outbox woken by the commit
 * and the hub answering the held pull as soon as it has applied the push.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpWakeUpIT {

  /** Far below the clients' one-minute polls. */
  private static final Duration SOON = Duration.ofSeconds(15);

  private static ThreeNodes nodes;
  private static int hubPort;

  @BeforeAll
  static void startNodes() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      hubPort = socket.getLocalPort();
    }
    nodes =
        ThreeNodes.start(
            "wake",
            TestDatabases.h2("wake_hub"),
            Map.of(
                "server.port",
                hubPort,
                "camel.main.shutdown-timeout",
                "30",
                "deltasync.ship.routes",
                "classpath:deltasync/examples/http-serve.camel.yaml"),
            Map.of(
                "deltasync.ship.upstream-url",
                "http://localhost:" + hubPort,
                "deltasync.ship.routes",
                "classpath:wake/slow-polling-client.camel.yaml"));
  }

  @AfterAll
  static void stopNodes() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  @Order(1)
  void aCommitOnOneClientReachesTheOtherWithoutWaitingForAPoll() {
    ShipNode a = nodes.a();
    ShipNode b = nodes.b();
    for (int i = 1; i <= 3; i++) {
      long id = i;
      a.writer().inTransaction(notes -> notes.insert(new Note(id, "from a " + id)));
      awaitSame(b, a, (int) id);
    }
    b.writer().inTransaction(notes -> notes.insert(new Note(100, "from b")));
    awaitSame(a, b, 4);
    assertThat(nodes.hub().dump()).isEqualTo(a.dump());
  }

  @Test
  @Order(2)
  void printsHowLongACommitTakesToReachTheOtherClient() throws InterruptedException {
    ShipNode a = nodes.a();
    ShipNode b = nodes.b();
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      long id = 1_000 + i;
      int rows = a.dump().size() + 1;
      long start = System.nanoTime();
      a.writer().inTransaction(notes -> notes.insert(new Note(id, "timed " + id)));
      long end = start + SOON.toNanos();
      while (b.dump().size() < rows && System.nanoTime() < end) {
        Thread.sleep(2);
      }
      millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }
    awaitSame(b, a, a.dump().size());
    Collections.sort(millis);
    // a measurement for the reader, not a limit: the machine running the tests may be busy
    System.out.printf(
        "commit on node-a to applied on node-b over HTTP: p50 %d ms, max %d ms (%d commits)%n",
        millis.get(millis.size() / 2), millis.get(millis.size() - 1), millis.size());
  }

  @Test
  @Order(3)
  void aPausedFeedStaysPausedWhilePullsAreHeldAndSendsOnceReleased() {
    ShipNode a = nodes.a();
    ShipNode b = nodes.b();
    ShipNode hub = nodes.hub();
    DeltaSyncComponent feed = hub.app().getBean(DeltaSyncComponent.class);
    int before = b.dump().size();
    feed.holdFeed("node-b");
    try {
      a.writer().inTransaction(notes -> notes.insert(new Note(200, "while b's feed is held")));
      Eventually.waitFor(
          SOON, () -> hub.dump().size() == before + 1, () -> "hub rows " + hub.dump());

      Eventually.holdsFor(
          Duration.ofSeconds(3), () -> b.dump().size() == before, () -> "b rows " + b.dump());
    } finally {
      feed.releaseFeed("node-b");
    }
    awaitSame(b, a, before + 1);
  }

  @Test
  @Order(4)
  void stoppingTheFeedRouteAnswersAHeldPullAtOnce() throws Exception {
    ShipNode hub = nodes.hub();
    HttpPeer asB =
        new HttpPeer("hub", "http://localhost:" + hubPort, "node-b", ThreeNodes.SECRET_B);
    long upTo = hub.store().lastSeq();
    CompletableFuture<DeltaBatch> held =
        CompletableFuture.supplyAsync(() -> asB.fetch("node-b", upTo, 10, 60_000));
    Eventually.holdsFor(Duration.ofSeconds(1), () -> !held.isDone(), () -> "answered " + held);

    // far less than the hold (the hub caps it at 20 s) and the shutdown timeout (30 s)
    CompletableFuture<Void> stopping =
        CompletableFuture.runAsync(
            () -> {
              try {
                hub.camel().getRouteController().stopRoute("deltasync-http-feed");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    DeltaBatch answer = held.get(10, TimeUnit.SECONDS);
    stopping.get(10, TimeUnit.SECONDS);

    assertThat(answer.deltas()).isEmpty();
    assertThat(answer.upToSeq()).isEqualTo(upTo);
    hub.camel().getRouteController().startRoute("deltasync-http-feed");
  }

  @Test
  @Order(5)
  void stoppingAClientsPullRouteAbortsItsHeldPullAndTheRouteStartedAgainPulls() throws Exception {
    ShipNode a = nodes.a();
    ShipNode b = nodes.b();
    RouteController routes = a.camel().getRouteController();
    InflightRepository inflight = a.camel().getInflightRepository();
    Eventually.waitFor(
        SOON, () -> inflight.size("deltasync-http-pull") == 1, () -> "node-a has no pull held");

    // the hub holds the pull up to 20 s: a stop that waited for it would not end within 10 s
    assertThat(routes.stopRoute("deltasync-http-pull", 10, TimeUnit.SECONDS, true)).isTrue();
    assertThat(inflight.size("deltasync-http-pull")).isZero();

    routes.startRoute("deltasync-http-pull");
    int rows = b.dump().size() + 1;
    b.writer().inTransaction(notes -> notes.insert(new Note(300, "after a's pulls restarted")));
    awaitSame(a, b, rows);
  }

  @Test
  @Order(6)
  void theHubRunsRequestsOnAnExecutorWithAThreadForEveryHeldPullAndSpares() {
    ThreadPoolTaskExecutor requests =
        nodes.hub().app().getBean("applicationTaskExecutor", ThreadPoolTaskExecutor.class);

    assertThat(requests.getCorePoolSize())
        .isEqualTo(DeltaSyncComponent.DEFAULT_MAX_HELD_PULLS + 16);
  }

  /** Waits until {@code node} holds the same notes as {@code source}, that many. */
  private static void awaitSame(ShipNode node, ShipNode source, int rows) {
    Eventually.waitFor(
        SOON,
        () -> source.dump().size() == rows && node.dump().equals(source.dump()),
        nodes::state);
  }
}
