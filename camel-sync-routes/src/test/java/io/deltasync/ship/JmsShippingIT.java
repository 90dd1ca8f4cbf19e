package io.deltasync.ship;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.DeltaCodec;
import io.deltasync.delta.DeltaIds;
import io.deltasync.schema.TestDatabases;
import io.deltasync.ship.support.Eventually;
import io.deltasync.ship.support.RewindScenarios;
import io.deltasync.ship.support.ShipNode;
import io.deltasync.ship.support.ThreeNodes;
import io.deltasync.testing.Note;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.Workload;
import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.component.jms.JmsComponent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jms.core.JmsTemplate;

/**
 * A hub on PostgreSQL running Spring Boot's embedded Artemis broker (persistent, with a TCP
 * acceptor), and two H2 clients connected to it by URL; all three run the shipped JMS route files,
 * each sending to {@code deltasync.<peer>} and applying what arrives on {@code deltasync.<own id>}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JmsShippingIT {

  private static final Duration DRAIN = Duration.ofSeconds(90);
  private static final String ROUTES =
      "classpath:deltasync/examples/jms-send.camel.yaml,"
          + "classpath:deltasync/examples/jms-receive.camel.yaml";
  @TempDir static Path brokerData;
  private static ThreeNodes nodes;

  @BeforeAll
  static void startNodes() throws IOException {
    int brokerPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      brokerPort = socket.getLocalPort();
    }
    String brokerUrl = "tcp://127.0.0.1:" + brokerPort;
    var hubDb = TestDatabases.postgres("jms_hub");
    Map<String, Object> hub = new java.util.LinkedHashMap<>();
    hub.put("spring.artemis.mode", "embedded");
    hub.put("spring.artemis.embedded.enabled", "true");
    // persistent, as a hub must be: the outbox counts a batch as delivered once the broker has it
    hub.put("spring.artemis.embedded.persistent", "true");
    hub.put("spring.artemis.embedded.data-directory", brokerData.toString());
    hub.put("deltasync.ship.broker-acceptor", brokerUrl);
    hub.put("deltasync.ship.routes", ROUTES);
    nodes =
        ThreeNodes.start(
            "jms",
            hubDb,
            hub,
            Map.of(
                "spring.artemis.mode",
                "native",
                "spring.artemis.broker-url",
                brokerUrl,
                "deltasync.ship.routes",
                ROUTES));
  }

  @AfterAll
  static void stopNodes() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  @Order(1)
  void bothClientsWritingConvergeThroughTheBroker() {
    nodes.writeOnBothClients(20261122L, 600);

    nodes.awaitConverged(DRAIN);

    nodes.assertHubApplied(1_000);
    for (ShipNode node : new ShipNode[] {nodes.hub(), nodes.a(), nodes.b()}) {
      JmsComponent jms = node.camel().getComponent("jms", JmsComponent.class);
      assertThat(jms.getConnectionFactory())
          .as("%s's jms component uses Spring Boot's Artemis connection factory", node.id())
          .isSameAs(node.app().getBean(ConnectionFactory.class));
    }
  }

  @Test
  @Order(2)
  void aClientKeepsItsDeltasWhileTheHubAndItsBrokerAreDownAndDeliversThemAfter() {
    ShipNode a = nodes.a();
    ShipNode hub = nodes.hub();
    nodes.awaitConverged(DRAIN);
    long pushedBefore = a.pointers("hub").lastPushed();
    nodes.stopHubAndWriteOnA(200);

    // the outbox polls every 500 ms (then backs off): for 3 s its pointer must stay put
    Eventually.holdsFor(
        Duration.ofSeconds(3),
        () -> a.pointers("hub").lastPushed() == pushedBefore,
        () -> "node-a's lastPushed for hub moved from " + pushedBefore + " with the broker down");
    assertThat(a.store().pendingFor("hub", pushedBefore, 10_000).deltas()).hasSizeGreaterThan(200);

    hub.startApp();
    nodes.awaitConverged(DRAIN);
    assertThat(hub.dump()).filteredOn(row -> row.startsWith("5000001|")).hasSize(1);
    assertThat(nodes.b().dump()).filteredOn(row -> row.startsWith("5000001|")).hasSize(1);
  }

  @Test
  @Order(3)
  void aMessageDeliveredTwiceAppliesOnce() throws Exception {
    ShipNode a = nodes.a();
    ShipNode hub = nodes.hub();
    nodes.awaitConverged(DRAIN);
    a.camel().getRouteController().stopRoute("deltasync-jms-send");
    a.writer().inTransaction(notes -> notes.insert(new Note(6_000_001, "sent twice")));
    DeltaBatch batch = a.syncNode().nextBatchFor("hub").orElseThrow();
    byte[] wire = seal(batch);
    long receivedBefore = hub.counters().batchesReceived();
    long appliedBefore = hub.counters().deltasApplied();

    send(hub, wire);
    send(hub, wire); // as if the broker redelivered it

    // at least the two sends (a batch of an earlier test that the broker redelivers may come too;
    // it applies nothing new): what counts is that the delta applied once
    Eventually.waitFor(
        DRAIN,
        () -> hub.counters().batchesReceived() >= receivedBefore + 2,
        () -> "hub received " + (hub.counters().batchesReceived() - receivedBefore) + " of 2");
    assertThat(hub.counters().deltasApplied() - appliedBefore).isEqualTo(1);
    assertThat(hub.pointers("node-a").lastProcessed()).isEqualTo(batch.upToSeq());
    assertThat(hub.duplicateDeltas()).isZero();
    assertThat(hub.dump()).filteredOn(row -> row.startsWith("6000001|")).hasSize(1);

    // node-a never saw it go out, so its outbox sends the batch a third time
    a.camel().getRouteController().startRoute("deltasync-jms-send");
    nodes.awaitConverged(DRAIN);
    assertThat(hub.dump()).filteredOn(row -> row.startsWith("6000001|")).hasSize(1);
    assertThat(nodes.b().dump()).filteredOn(row -> row.startsWith("6000001|")).hasSize(1);
  }

  @Test
  @Order(4)
  void aBatchThatSkipsOneIsDroppedAndItsSenderToldWhereToResume() throws Exception {
    ShipNode a = nodes.a();
    ShipNode hub = nodes.hub();
    nodes.awaitConverged(DRAIN);
    a.camel().getRouteController().stopRoute("deltasync-jms-send");
    a.writer().inTransaction(notes -> notes.insert(new Note(8_000_001, "first")));
    a.writer().inTransaction(notes -> notes.insert(new Note(8_000_002, "second")));
    DeltaBatch both = a.syncNode().nextBatchFor("hub").orElseThrow();
    Delta second = both.deltas().get(both.deltas().size() - 1);
    DeltaBatch skipping =
        new DeltaBatch(
            "node-a", DeltaIds.next(), second.seq() - 1, both.upToSeq(), List.of(second));
    long processedBefore = hub.pointers("node-a").lastProcessed();
    assertThat(skipping.afterSeq()).isGreaterThan(processedBefore);
    long rewindsSentBefore = hub.counters().rewindsSent();
    long ignoredBefore = a.counters().rewindsIgnored();
    send(hub, seal(skipping));

    // the hub drops it and tells node-a, on node-a's queue, where to resume; node-a has not sent
    // anything past that point, so the rewind changes nothing there
    Eventually.waitFor(
        DRAIN,
        () -> a.counters().rewindsIgnored() == ignoredBefore + 1,
        () -> "node-a heard no rewind; the hub sent " + hub.counters().rewindsSent());
    assertThat(hub.counters().rewindsSent()).isEqualTo(rewindsSentBefore + 1);
    assertThat(hub.pointers("node-a").lastProcessed()).isEqualTo(processedBefore);
    assertThat(hub.dump()).noneMatch(row -> row.startsWith("8000002|"));
    assertThat(a.pointers("hub").lastPushed()).isEqualTo(processedBefore);

    // nothing holds the queue: node-a's own batches apply, both notes once
    a.camel().getRouteController().startRoute("deltasync-jms-send");
    nodes.awaitConverged(DRAIN);
    assertThat(hub.dump()).filteredOn(row -> row.startsWith("800000")).hasSize(2);
  }

  @Test
  @Order(5)
  void aClientDownWhileTheHubRestartsStillGetsWhatTheHubQueuedForIt() {
    ShipNode a = nodes.a();
    ShipNode hub = nodes.hub();
    nodes.awaitConverged(DRAIN);
    a.stopApp();
    new Workload(13L, 9_000_000, false).run(nodes.b().writer(), 100);
    Eventually.waitFor(
        DRAIN,
        () ->
            hub.pointers("node-b").lastProcessed() == nodes.b().store().lastSeq()
                && hub.pointers("node-a").lastPushed() == hub.store().lastSeq(),
        nodes::state);
    assertThat(hub.pointers("node-a").lastProcessed()).isLessThan(hub.store().lastSeq());

    // the hub counts those batches as delivered: only the persistent broker still has them
    hub.stopApp();
    hub.startApp();
    a.startApp();

    nodes.awaitConverged(DRAIN);
  }

  @Test
  @Order(6)
  void aClientRestoredFromABackupHealsItsStreamWithoutAnOperator() {
    rewinds()
        .aClientRestoredFromABackupCatchesUp(brokerData.resolve("node-b-backup.sql"), 10_000_000);
  }

  @Test
  @Order(7)
  void aHubThatLostAClientsBatchesGetsThemAgainWithoutAnOperator() {
    rewinds().aHubThatLostAClientsBatchesGetsThemAgain(11_000_000);
  }

  @Test
  @Order(8)
  void forgedRewindsAreRefusedAndForwardOnesIgnored() throws Exception {
    rewinds().forgedAndForwardRewindsChangeNothing(12_000_000);
  }

  @Test
  @Order(9)
  void aBatchThatFailsToApplyIsRetriedInPlaceAcrossARestartWithoutBlockingShutdown() {
    ShipNode a = nodes.a();
    ShipNode hub = nodes.hub();
    nodes.awaitConverged(DRAIN);
    // a row written on the hub by hand, behind DeltaSync's back: node-a's insert of that key fails
    hub.execute(
        "INSERT INTO note (id, title, done, amount) VALUES (13000001, 'by hand', FALSE, 0)");
    long processedBefore = hub.pointers("node-a").lastProcessed();
    a.writer().inTransaction(notes -> notes.insert(new Note(13_000_001, "from node-a")));

    // retried in place (500 ms, 1 s, 2 s, 4 s, ...): after the fourth failure a 4 s delay runs
    Eventually.waitFor(
        DRAIN,
        () -> failedAttempts(hub) >= 4,
        () -> "the hub tried node-a's batch " + failedAttempts(hub) + " times");
    assertThat(hub.pointers("node-a").lastProcessed()).isEqualTo(processedBefore);

    // stopping must not wait for that delay, nor for the 5 s camel.main.shutdown-timeout after
    // which Camel would force its way out
    long started = System.nanoTime();
    hub.stopApp();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));

    // rolled back, not lost: once the key is free, the restarted hub applies it from its queue
    hub.execute("DELETE FROM note WHERE id = 13000001");
    hub.startApp();
    nodes.awaitConverged(DRAIN);
    assertThat(hub.dump())
        .filteredOn(row -> row.startsWith("13000001|"))
        .singleElement()
        .asString()
        .contains("from node-a");
  }

  @Test
  @Order(10)
  void clientsLeftBehindByAForcedPurgeGetAReloadNoticeAndNoBatch() throws Exception {
    rewinds()
        .clientsLeftBehindByAForcedPurgeAreToldToReloadAndGetNoBatch(
            "deltasync-jms-send", 14_000_000);
  }

  private static long failedAttempts(ShipNode node) {
    return NotesSchema.count(
        node.db().dataSource(),
        "SELECT COALESCE(MAX(attempts), 0) FROM ds_dead_letter WHERE status = 'FAILED'");
  }

  private static RewindScenarios rewinds() {
    return new RewindScenarios(nodes, DRAIN, (to, name, wire) -> send(to, wire));
  }

  private static byte[] seal(DeltaBatch batch) {
    return Envelopes.seal(
        new Envelope(
            Envelope.Type.BATCH, "node-a", "hub", batch.batchId(), DeltaCodec.encodeBatch(batch)),
        ThreeNodes.SECRET_A.getBytes(StandardCharsets.UTF_8));
  }

  /** Puts the bytes on the node's own queue as a BytesMessage, as the send route does. */
  private static void send(ShipNode node, byte[] wire) {
    node.app()
        .getBean(JmsTemplate.class)
        .send(
            "deltasync." + node.id(),
            session -> {
              BytesMessage message = session.createBytesMessage();
              message.writeBytes(wire);
              return message;
            });
  }
}
