package io.deltasync.ship;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.DeltaCodec;
import io.deltasync.schema.TestDatabases;
import io.deltasync.ship.support.Eventually;
import io.deltasync.ship.support.RewindScenarios;
import io.deltasync.ship.support.ShipNode;
import io.deltasync.ship.support.ThreeNodes;
import io.deltasync.store.NodePointers;
import io.deltasync.testing.Note;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.Workload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub on PostgreSQL and two H2 clients sharing one drop folder, each a Spring Boot application
 * running the shipped file route files: every node writes its peers' batches into {@code
 * <folder>/<peer id>/} and applies the ones in {@code <folder>/<own id>/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FileShippingIT {

  private static final Duration DRAIN = Duration.ofSeconds(90);
  private static final String ROUTES =
      "classpath:deltasync/examples/file-send.camel.yaml,"
          + "classpath:deltasync/examples/file-receive.camel.yaml";

  @TempDir static Path folder;
  private static ThreeNodes nodes;

  @BeforeAll
  static void startNodes() {
    nodes = ThreeNodes.start("file", TestDatabases.postgres("file_hub"), transport(), transport());
  }

  private static Map<String, Object> transport() {
    Map<String, Object> properties = new java.util.LinkedHashMap<>();
    properties.put("deltasync.ship.folder", folder.toString());
    properties.put("deltasync.ship.dead-letter-uri", "file:" + folder.resolve("dead-letter"));
    properties.put("deltasync.ship.routes", ROUTES);
    // small batches, so that a burst of writes becomes several files that must apply in order
    properties.put("deltasync.node.batch-size", "100");
    return properties;
  }

  @AfterAll
  static void stopNodes() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  @Order(1)
  void bothClientsWritingConvergeThroughTheDropFolder() {
    nodes.writeOnBothClients(20261122L, 600);

    nodes.awaitConverged(DRAIN);

    nodes.assertHubApplied(1_000);
    assertThat(batchFiles("hub")).isEmpty();
    assertThat(batchFiles("node-a")).isEmpty();
    assertThat(batchFiles("node-b")).isEmpty();
  }

  @Test
  @Order(2)
  void filesPileUpWhileTheHubIsDownAndAreAppliedOnceInOrderWhenItReturns() {
    ShipNode a = nodes.a();
    ShipNode hub = nodes.hub();
    nodes.awaitConverged(DRAIN);
    long processedBefore = hub.pointers("node-a").lastProcessed();
    nodes.stopHubAndWriteOnA(300);

    // the folder takes the batches: node-a's outbox is done, the files wait for the hub
    Eventually.waitFor(
        DRAIN,
        () -> a.pointers("hub").lastPushed() == a.store().lastSeq(),
        () -> "node-a pushed " + a.pointers("hub") + " of " + a.store().lastSeq());
    List<String> pile = batchFiles("hub");
    int pending = a.store().pendingFor("hub", processedBefore, 100_000).deltas().size();
    assertThat(pile).hasSizeGreaterThanOrEqualTo(3).allMatch(name -> name.startsWith("node-a-"));
    assertThat(pending).isGreaterThan(300);
    assertThat(hub.pointers("node-a").lastProcessed()).isEqualTo(processedBefore);

    hub.startApp();
    nodes.awaitConverged(DRAIN);

    // the restarted hub applied every file (at least one batch each), each delta once, none refused
    assertThat(batchFiles("hub")).isEmpty();
    assertThat(hub.counters().batchesReceived()).isGreaterThanOrEqualTo(pile.size());
    assertThat(hub.counters().deltasApplied()).isEqualTo(pending);
    assertThat(
            NotesSchema.count(
                hub.db().dataSource(),
                "SELECT COUNT(*) FROM ds_delta WHERE received_from = 'node-a' AND source_seq > "
                    + processedBefore))
        .isEqualTo(pending);
    assertThat(hub.counters().refusedTotal()).isZero();
    assertThat(
            NotesSchema.count(
                hub.db().dataSource(),
                "SELECT COUNT(*) FROM ds_delta x JOIN ds_delta y ON y.received_from = x.received_from"
                    + " AND y.seq > x.seq AND y.source_seq < x.source_seq"
                    + " WHERE x.received_from = 'node-a' AND x.source_seq > "
                    + processedBefore))
        .as("node-a's deltas stored by the hub out of node-a's seq order")
        .isZero();
    assertThat(nodes.b().dump()).filteredOn(row -> row.startsWith("5000001|")).hasSize(1);
  }

  @Test
  @Order(3)
  void aBatchFileDeliveredTwiceAppliesOnce() throws Exception {
    ShipNode a = nodes.a();
    ShipNode hub = nodes.hub();
    nodes.awaitConverged(DRAIN);
    a.camel().getRouteController().stopRoute("deltasync-file-send");
    a.writer().inTransaction(notes -> notes.insert(new Note(6_000_001, "dropped twice")));
    DeltaBatch batch = a.syncNode().nextBatchFor("hub").orElseThrow();
    byte[] wire = seal(batch, ThreeNodes.SECRET_A);
    String name = String.format("node-a-%019d-%s", batch.upToSeq(), batch.batchId());
    long receivedBefore = hub.counters().batchesReceived();
    long appliedBefore = hub.counters().deltasApplied();

    drop("hub", name + ".dsync", wire);
    drop("hub", name + "-copy.dsync", wire);

    Eventually.waitFor(
        DRAIN,
        () -> hub.counters().batchesReceived() == receivedBefore + 2,
        () -> "hub received " + (hub.counters().batchesReceived() - receivedBefore) + " of 2");
    assertThat(hub.counters().deltasApplied() - appliedBefore).isEqualTo(1);
    assertThat(hub.pointers("node-a").lastProcessed()).isEqualTo(batch.upToSeq());
    assertThat(hub.duplicateDeltas()).isZero();
    assertThat(hub.dump()).filteredOn(row -> row.startsWith("6000001|")).hasSize(1);
    assertThat(batchFiles("hub")).isEmpty();

    // node-a never wrote it itself, so its outbox drops the batch a third time
    a.camel().getRouteController().startRoute("deltasync-file-send");
    nodes.awaitConverged(DRAIN);
    assertThat(hub.dump()).filteredOn(row -> row.startsWith("6000001|")).hasSize(1);
    assertThat(nodes.b().dump()).filteredOn(row -> row.startsWith("6000001|")).hasSize(1);
  }

  @Test
  @Order(4)
  void filesThatAreNotValidEnvelopesGoToTheDeadLetterFolderAndChangeNothing() throws Exception {
    ShipNode a = nodes.a();
    ShipNode hub = nodes.hub();
    nodes.awaitConverged(DRAIN);
    a.camel().getRouteController().stopRoute("deltasync-file-send");
    a.writer().inTransaction(notes -> notes.insert(new Note(7_000_001, "signed wrongly")));
    DeltaBatch batch = a.syncNode().nextBatchFor("hub").orElseThrow();
    List<String> rowsBefore = hub.dump();
    List<NodePointers> pointersBefore = hub.store().allPointers();
    long refusedBefore = hub.counters().refusedTotal();
    String garbage = "node-a-0000000000000000000-garbage.dsync";
    String forged = String.format("node-a-%019d-%s.dsync", batch.upToSeq(), batch.batchId());

    drop("hub", garbage, "not an envelope at all".getBytes(StandardCharsets.UTF_8));
    drop("hub", forged, seal(batch, "not-the-secret-node-a-and-hub-share"));

    Eventually.waitFor(
        DRAIN,
        () -> deadLetters().containsAll(List.of(garbage, forged)),
        () -> "dead letters: " + deadLetters() + ", waiting: " + batchFiles("hub"));
    assertThat(batchFiles("hub")).isEmpty();
    assertThat(hub.counters().refusedTotal() - refusedBefore).isEqualTo(2);
    assertThat(hub.dump()).isEqualTo(rowsBefore);
    assertThat(hub.store().allPointers()).isEqualTo(pointersBefore);

    // the stream goes on: node-a's own, correctly signed batches still apply
    a.camel().getRouteController().startRoute("deltasync-file-send");
    new Workload(11L, 7_000_100, false).run(a.writer(), 50);
    nodes.awaitConverged(DRAIN);
    assertThat(hub.dump()).filteredOn(row -> row.startsWith("7000001|")).hasSize(1);
  }

  @Test
  @Order(5)
  void aClientRestoredFromABackupHealsItsStreamWithoutAnOperator() {
    rewinds().aClientRestoredFromABackupCatchesUp(folder.resolve("node-b-backup.sql"), 10_000_000);
    assertThat(batchFiles("hub")).isEmpty();
    assertThat(batchFiles("node-b")).isEmpty();
  }

  @Test
  @Order(6)
  void aHubThatLostAClientsBatchesGetsThemAgainWithoutAnOperator() {
    rewinds().aHubThatLostAClientsBatchesGetsThemAgain(11_000_000);
    assertThat(batchFiles("hub")).isEmpty();
    assertThat(batchFiles("node-a")).isEmpty();
  }

  @Test
  @Order(7)
  void forgedRewindFilesGoToTheDeadLetterFolderAndForwardOnesAreIgnored() throws Exception {
    List<String> deadBefore = deadLetters();
    rewinds().forgedAndForwardRewindsChangeNothing(12_000_000);
    assertThat(deadLetters())
        .containsAll(deadBefore)
        .contains(
            "hub-rewind-1-forged.dsync",
            "hub-rewind-2-unsigned.dsync",
            "hub-rewind-3-misaddressed.dsync",
            "node-b-rewind-4-unknown.dsync")
        .doesNotContain("hub-rewind-5-forward.dsync");
  }

  @Test
  @Order(8)
  void clientsLeftBehindByAForcedPurgeGetAReloadNoticeFileAndNoBatch() throws Exception {
    rewinds()
        .clientsLeftBehindByAForcedPurgeAreToldToReloadAndGetNoBatch(
            "deltasync-file-send", 14_000_000);
  }

  private static RewindScenarios rewinds() {
    return new RewindScenarios(nodes, DRAIN, (to, name, wire) -> drop(to.id(), name, wire));
  }

  private static byte[] seal(DeltaBatch batch, String secret) {
    return Envelopes.seal(
        new Envelope(
            Envelope.Type.BATCH, "node-a", "hub", batch.batchId(), DeltaCodec.encodeBatch(batch)),
        secret.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes the file under a hidden name first and renames it, as the send route does. */
  private static void drop(String node, String name, byte[] content) throws IOException {
    Path dir = Files.createDirectories(folder.resolve(node));
    Path part = Files.write(dir.resolve(".part-" + name), content);
    Files.move(part, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  /** The batch files waiting in the node's folder, by name. */
  private static List<String> batchFiles(String node) {
    return list(folder.resolve(node)).stream().filter(name -> name.endsWith(".dsync")).toList();
  }

  private static List<String> deadLetters() {
    return list(folder.resolve("dead-letter"));
  }

  private static List<String> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(file -> file.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
