package io.deltasync.ship;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.DeltaCodec;
import io.deltasync.schema.TestDatabases;
import io.deltasync.ship.support.LogLines;
import io.deltasync.ship.support.ShipNode;
import io.deltasync.ship.support.ThreeNodes;
import io.deltasync.testing.Note;
import io.deltasync.testing.NotesSchema;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A hub on PostgreSQL and two H2 clients, each a Spring Boot application running the shipped HTTP
 * route files: clients push to and pull from the hub's platform-http endpoints.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpShippingIT {

  private static final Duration DRAIN = Duration.ofSeconds(90);
  private static ThreeNodes nodes;

  @BeforeAll
  static void startNodes() throws IOException {
    int hubPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      hubPort = socket.getLocalPort();
    }
    nodes =
        ThreeNodes.start(
            "http",
            TestDatabases.postgres("http_hub"),
            Map.of(
                "server.port",
                hubPort,
                "deltasync.ship.routes",
                "classpath:deltasync/examples/http-serve.camel.yaml"),
            Map.of(
                "deltasync.ship.upstream-url",
                "http://localhost:" + hubPort,
                "deltasync.ship.routes",
                "classpath:deltasync/examples/http-push.camel.yaml,"
                    + "classpath:deltasync/examples/http-pull.camel.yaml"));
  }

  @AfterAll
  static void stopNodes() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  @Order(1)
  void bothClientsWritingConvergeThroughTheHub() {
    nodes.writeOnBothClients(20261122L, 600);

    nodes.awaitConverged(DRAIN);

    nodes.assertHubApplied(1_000);
  }

  @Test
  @Order(2)
  void aClientKeepsItsDeltasWhileTheHubIsDownAndDeliversThemWhenItReturns() {
    ShipNode a = nodes.a();
    ShipNode hub = nodes.hub();
    nodes.awaitConverged(DRAIN);
    long pushedBefore = a.pointers("hub").lastPushed();
    nodes.stopHubAndWriteOnA(200);
    sleep(Duration.ofSeconds(2)); // several outbox polls fail meanwhile

    assertThat(a.pointers("hub").lastPushed()).isEqualTo(pushedBefore);
    assertThat(a.store().pendingFor("hub", pushedBefore, 10_000).deltas()).hasSizeGreaterThan(200);

    hub.startApp();
    nodes.awaitConverged(DRAIN);
    assertThat(hub.dump()).contains(a.dump().get(a.dump().size() - 1));
  }

  @Test
  @Order(3)
  void aBatchDeliveredTwiceAppliesOnce() throws Exception {
    ShipNode a = nodes.a();
    ShipNode hub = nodes.hub();
    nodes.awaitConverged(DRAIN);
    a.camel().getRouteController().stopRoute("deltasync-http-push");
    a.writer().inTransaction(notes -> notes.insert(new Note(6_000_001, "sent twice")));
    DeltaBatch batch = a.syncNode().nextBatchFor("hub").orElseThrow();
    byte[] wire =
        Envelopes.seal(
            new Envelope(
                Envelope.Type.BATCH,
                "node-a",
                "hub",
                batch.batchId(),
                DeltaCodec.encodeBatch(batch)),
            ThreeNodes.SECRET_A.getBytes(java.nio.charset.StandardCharsets.UTF_8));

    HttpResponse<String> first = post(hub.port(), wire);
    HttpResponse<String> second = post(hub.port(), wire); // the first acknowledgement was "lost"

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).contains("\"applied\":1,\"skipped\":0");
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.body()).contains("\"applied\":0,\"skipped\":1");
    assertThat(hub.duplicateDeltas()).isZero();

    // a never saw an acknowledgement, so its outbox sends the batch a third time
    a.camel().getRouteController().startRoute("deltasync-http-push");
    nodes.awaitConverged(DRAIN);
    assertThat(hub.dump()).filteredOn(row -> row.startsWith("6000001|")).hasSize(1);
  }

  @Test
  @Order(4)
  void aDeltaTheHubCannotApplyIsLoggedOnceWhileItsSenderKeepsRetryingWithoutHttpClientRetries()
      throws Exception {
    ShipNode a = nodes.a();
    ShipNode hub = nodes.hub();
    nodes.awaitConverged(DRAIN);
    hub.execute(
        "ALTER TABLE note ADD CONSTRAINT note_not_refused CHECK (title <> 'refused at the hub')");
    String failed = "SELECT attempts FROM ds_dead_letter WHERE status = 'FAILED'";
    try (LogLines applier = LogLines.of("io.deltasync.apply.DeltaApplier");
        LogLines routes = LogLines.of("io.deltasync.ship");
        LogLines retries = LogLines.of("org.apache.hc.client5.http.impl.classic")) {
      a.writer().inTransaction(notes -> notes.insert(new Note(7_000_001, "refused at the hub")));
      long deadline = System.nanoTime() + DRAIN.toNanos();
      while (attempts(hub, failed) < 4 && System.nanoTime() < deadline) {
        sleep(Duration.ofMillis(100));
      }

      assertThat(attempts(hub, failed)).isGreaterThanOrEqualTo(4);
      assertThat(applier.all())
          .filteredOn(line -> line.contains(" failed (error "))
          .singleElement()
          .asString()
          .contains("(seq ")
          .contains(" from node-a, ")
          .contains("note_not_refused");
      assertThat(routes.all()).noneMatch(line -> line.contains("Could not take a message"));
      assertThat(routes.all())
          .filteredOn(line -> line.startsWith("Pushing to hub"))
          .singleElement()
          .asString()
          .contains("statusCode: 503");
      assertThat(retries.all()).noneMatch(line -> line.contains("automatically re-executed"));
    } finally {
      hub.execute("ALTER TABLE note DROP CONSTRAINT note_not_refused");
    }
    nodes.awaitConverged(DRAIN); // the sender's next attempt applies it
    assertThat(hub.dump()).anyMatch(row -> row.startsWith("7000001|refused at the hub"));
    assertThat(attempts(hub, "SELECT COUNT(*) FROM ds_dead_letter WHERE status = 'FAILED'"))
        .isZero();
  }

  private static long attempts(ShipNode node, String sql) {
    return NotesSchema.count(node.db().dataSource(), "SELECT COALESCE((" + sql + "), 0)");
  }

  static HttpResponse<String> post(int port, byte[] body) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/deltasync/batches"))
            .header("Content-Type", Envelopes.CONTENT_TYPE)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
