package io.deltasync.ship;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.schema.TestDatabases;
import io.deltasync.ship.support.Eventually;
import io.deltasync.ship.support.ShipNode;
import io.deltasync.ship.support.ThreeNodes;
import io.deltasync.store.Rebase;
import io.deltasync.testing.Note;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub and two clients on H2 file-less databases, each a Spring Boot application running the
 * shipped HTTP route files, whose databases lose their latest commits the way an H2 file database
 * does on a kill, exactly: the node's application stops, its database is restored from a backup
 * ({@code SCRIPT TO}, {@code RUNSCRIPT}) taken before its last commits, and the application starts
 * again, so its next writes reuse seqs that the other nodes had processed. Nobody intervenes: every
 * new write reaches every node once, and the receivers record the re-base; a client whose database
 * went back is refused its next pull (it lacks rows the hub has) and reloads from the hub, which
 * gives it back its own writes that the hub had taken before it lost them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LostCommitsOverHttpIT {

  private static final Duration DRAIN = Duration.ofSeconds(90);
  private static ThreeNodes nodes;

  @TempDir static Path dir;

  @BeforeAll
  static void startNodes() throws IOException {
    int hubPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      hubPort = socket.getLocalPort();
    }
    nodes =
        ThreeNodes.start(
            "lost",
            TestDatabases.h2("lost_hub"),
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
  void aClientThatLostItsLatestCommitsHasItsNewWritesReachEveryNodeOnce() throws IOException {
    ShipNode a = nodes.a();
    ShipNode hub = nodes.hub();
    write(a, 1, 20);
    nodes.awaitConverged(DRAIN);
    Path backup = Files.createTempFile(dir, "node-a", ".sql");
    a.backupTo(backup);
    write(a, 21, 30); // the commits node-a will lose, after the hub and node-b took them
    nodes.awaitConverged(DRAIN);
    long processed = hub.pointers("node-a").lastProcessed();

    a.stopApp();
    a.restoreFrom(backup);
    a.startApp();
    long lastSeqAfterRestore = a.store().lastSeq();
    write(a, 31, 40);

    assertThat(lastSeqAfterRestore).as("node-a reuses seqs").isLessThan(processed);
    awaitSettled();
    assertThat(ids(hub)).containsExactlyElementsOf(range(1, 40));
    assertThat(ids(nodes.b())).containsExactlyElementsOf(range(1, 40));
    assertThat(ids(a))
        .as("node-a lost 21 to 30 with its commits, and got them back by a reload from the hub")
        .containsExactlyElementsOf(range(1, 40));
    assertThat(a.store().rebases(10))
        .extracting(Rebase::reason)
        .anyMatch(reason -> reason.startsWith("reload needed, automatic: node-a cannot continue"))
        .anyMatch(reason -> reason.startsWith("reloaded from a snapshot of hub"));
    List<Rebase> rebases = hub.store().rebases(10);
    assertThat(rebases).hasSize(1);
    assertThat(rebases.get(0))
        .returns("node-a", Rebase::peerId)
        .returns(processed, Rebase::fromSeq)
        .returns(lastSeqAfterRestore, Rebase::toSeq);
  }

  @Test
  @Order(2)
  void aHubRestoredFromAnOlderBackupServesItsNewDeltasToClientsWhosePointersWereAboveThem()
      throws IOException {
    ShipNode a = nodes.a();
    ShipNode b = nodes.b();
    ShipNode hub = nodes.hub();
    write(a, 101, 110);
    awaitSettled();
    Path backup = Files.createTempFile(dir, "hub", ".sql");
    hub.backupTo(backup);
    write(a, 111, 120); // the commits the hub will lose, after node-b took them
    awaitSettled();
    long processedByB = b.pointers("hub").lastProcessed();

    hub.stopApp();
    hub.restoreFrom(backup);
    hub.startApp();
    hub.writer().inTransaction(notes -> notes.insert(new Note(500, "written on the hub")));
    assertThat(hub.store().lastSeq()).as("the hub reuses seqs").isLessThan(processedByB);
    write(a, 121, 121); // the hub refuses it; node-a sends 111 to 121 again

    awaitSettled();
    for (ShipNode node : List.of(hub, b)) {
      assertThat(ids(node))
          .as("%s's notes", node.id())
          .containsExactlyElementsOf(concat(range(1, 40), concat(range(101, 121), List.of(500L))));
    }
    assertThat(b.store().rebases(10))
        .extracting(Rebase::peerId, Rebase::fromSeq)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("hub", processedByB));
    assertThat(a.store().rebases(10))
        .filteredOn(rebase -> !rebase.reason().startsWith("reload"))
        .extracting(Rebase::peerId)
        .containsExactly("hub");
  }

  /**
   * Waits until every pointer is at the end of the stream it points into and the three nodes hold
   * the same rows. Then nothing was stored twice anywhere.
   */
  private static void awaitSettled() {
    Eventually.waitFor(DRAIN, LostCommitsOverHttpIT::settled, nodes::state);
    for (ShipNode node : List.of(nodes.hub(), nodes.a(), nodes.b())) {
      assertThat(node.duplicateDeltas()).as("deltas stored twice at %s", node.id()).isZero();
    }
  }

  private static boolean settled() {
    ShipNode hub = nodes.hub();
    long hubLast = hub.store().lastSeq();
    for (ShipNode client : List.of(nodes.a(), nodes.b())) {
      long clientLast = client.store().lastSeq();
      if (client.pointers("hub").lastPushed() != clientLast
          || hub.pointers(client.id()).lastProcessed() != clientLast
          || client.pointers("hub").lastProcessed() != hubLast
          || hub.pointers(client.id()).lastPushed() != hubLast) {
        return false;
      }
    }
    List<String> hubRows = hub.dump();
    return nodes.b().dump().equals(hubRows) && nodes.a().dump().equals(hubRows);
  }

  private static void write(ShipNode node, long from, long to) {
    for (long id = from; id <= to; id++) {
      long noteId = id;
      node.writer().inTransaction(notes -> notes.insert(new Note(noteId, "note " + noteId)));
    }
  }

  private static List<Long> ids(ShipNode node) {
    return node.dump().stream().map(LostCommitsOverHttpIT::idOf).toList();
  }

  private static long idOf(String row) {
    return Long.parseLong(row.substring(0, row.indexOf('|')));
  }

  private static List<Long> range(long from, long to) {
    return java.util.stream.LongStream.rangeClosed(from, to).boxed().toList();
  }

  private static List<Long> concat(List<Long> first, List<Long> second) {
    return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
  }
}
