package io.deltasync.ship.support;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.ship.Envelope;
import io.deltasync.ship.Envelopes;
import io.deltasync.ship.Rewind;
import io.deltasync.ship.internal.Gzip;
import io.deltasync.store.DeltaMaintenance;
import io.deltasync.store.NodePointers;
import io.deltasync.store.PurgePreview;
import io.deltasync.testing.Note;
import io.deltasync.testing.Workload;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Receivers that lost what they had acknowledged, over a transport where no answer goes back on the
 * connection (queues, folders): each heals by itself through a rewind, with no operator action, and
 * rewinds that are forged or would move a pointer forward change nothing. Shared by the JMS and the
 * file tests, which differ only in how bytes reach a node.
 */
public final class RewindScenarios {

  /** Puts bytes where the node's receive route reads them, as a peer's send route would. */
  @FunctionalInterface
  public interface Delivery {
    void deliver(ShipNode to, String name, byte[] wire) throws Exception;
  }

  private static final String WRONG_SECRET = "not-the-secret-node-a-and-hub-share";

  private final ThreeNodes nodes;
  private final Duration drain;
  private final Delivery delivery;

  public RewindScenarios(ThreeNodes nodes, Duration drain, Delivery delivery) {
    this.nodes = nodes;
    this.drain = drain;
    this.delivery = delivery;
  }

  /**
   * node-b's database is restored from a backup taken before node-a wrote more: node-b refuses the
   * hub's next batch, the hub sends again from node-b's restored pointer.
   */
  public void aClientRestoredFromABackupCatchesUp(Path backup, long firstId) {
    ShipNode a = nodes.a();
    ShipNode b = nodes.b();
    ShipNode hub = nodes.hub();
    nodes.awaitConverged(drain);
    b.backupTo(backup);
    long processedAtBackup = b.pointers("hub").lastProcessed();
    new Workload(31L, firstId, false).run(a.writer(), 150);
    nodes.awaitConverged(drain);
    assertThat(hub.pointers("node-b").lastPushed()).isGreaterThan(processedAtBackup);
    long rewindsBefore = hub.counters().rewindsApplied();

    b.stopApp();
    b.restoreFrom(backup);
    assertThat(b.pointers("hub").lastProcessed()).isEqualTo(processedAtBackup);
    assertThat(b.dump()).isNotEqualTo(hub.dump());
    b.startApp();
    // the hub's next batch for node-b shows it is behind; from here on nobody intervenes
    a.writer()
        .inTransaction(notes -> notes.insert(new Note(firstId + 900_000, "after the restore")));

    nodes.awaitConverged(drain);
    assertThat(hub.counters().rewindsApplied()).isGreaterThan(rewindsBefore);
    assertThat(b.counters().rewindsSent()).isPositive();
    assertThat(b.dump()).filteredOn(row -> row.startsWith((firstId + 900_000) + "|")).hasSize(1);
  }

  /**
   * The hub's send route is stopped (its broker or folder unreachable, say) while it writes, and it
   * purges, forced, deltas neither client has: when the route runs again, it sends the clients no
   * batch (the next would continue past the purged deltas as if nothing were missing) but a signed
   * notice that they must reload, which each, without a loader, logs as an error naming the gap.
   * Once the missing rows are put on the clients by hand and the hub's {@code ds_reload} rows are
   * deleted, as that error says, the hub sends again and all converge.
   */
  public void clientsLeftBehindByAForcedPurgeAreToldToReloadAndGetNoBatch(
      String hubSendRoute, long firstId) throws Exception {
    ShipNode hub = nodes.hub();
    List<ShipNode> clients = List.of(nodes.a(), nodes.b());
    nodes.awaitConverged(drain);
    hub.camel().getRouteController().stopRoute(hubSendRoute);
    for (long id = firstId; id < firstId + 3; id++) {
      long note = id;
      hub.writer().inTransaction(notes -> notes.insert(new Note(note, "purged before sent")));
    }
    DeltaMaintenance maintenance = new DeltaMaintenance(hub.db().dataSource(), hub.store());
    PurgePreview preview = maintenance.previewPurgeOlderThan(Instant.now().plusSeconds(1));
    assertThat(preview.stillNeededBy()).containsKeys("node-a", "node-b");
    maintenance.purge(preview, true);
    hub.writer().inTransaction(notes -> notes.insert(new Note(firstId + 10, "after the purge")));
    long[] processedBefore =
        clients.stream().mapToLong(c -> c.pointers("hub").lastProcessed()).toArray();

    try (LogLines errors = LogLines.of("io.deltasync.ship.Reloading")) {
      hub.camel().getRouteController().startRoute(hubSendRoute);
      for (ShipNode client : clients) {
        Eventually.waitFor(
            drain,
            () ->
                errors.any(
                    "hub says "
                        + client.id()
                        + " must reload from it before it sends anything more"),
            () -> "logged " + errors.all());
      }
      assertThat(errors.all())
          .allMatch(line -> line.contains("purge") && line.contains("ds_reload"));
    }
    Eventually.holdsFor(
        Duration.ofSeconds(2),
        () ->
            clients.get(0).pointers("hub").lastProcessed() == processedBefore[0]
                && clients.get(1).pointers("hub").lastProcessed() == processedBefore[1],
        () -> "a client's pointer for the hub moved: " + nodes.state());
    for (ShipNode client : clients) {
      assertThat(client.dump()).noneMatch(row -> row.startsWith((firstId + 10) + "|"));
      for (long id = firstId; id < firstId + 3; id++) {
        client.execute(
            "INSERT INTO note (id, title, done, amount) VALUES ("
                + id
                + ", 'purged before sent', FALSE, 0)");
      }
    }
    hub.execute("DELETE FROM ds_reload");
    nodes.awaitConverged(drain);
    for (ShipNode client : clients) {
      assertThat(client.dump()).filteredOn(row -> row.startsWith((firstId + 10) + "|")).hasSize(1);
    }
  }

  /**
   * The hub's pointer for node-a goes back and the notes and deltas it applied from node-a after
   * that are deleted (as a restored hub would be): node-a sends them again, and node-b, which had
   * them already, gets them again from the hub and skips them by id.
   */
  public void aHubThatLostAClientsBatchesGetsThemAgain(long firstId) {
    ShipNode a = nodes.a();
    ShipNode hub = nodes.hub();
    nodes.awaitConverged(drain);
    long processedBefore = hub.pointers("node-a").lastProcessed();
    for (long id = firstId; id < firstId + 20; id++) {
      long noteId = id;
      a.writer().inTransaction(notes -> notes.insert(new Note(noteId, "lost by the hub")));
    }
    nodes.awaitConverged(drain);
    long rewindsBefore = a.counters().rewindsApplied();

    hub.stopApp();
    hub.execute("DELETE FROM note WHERE id >= " + firstId + " AND id < " + (firstId + 20));
    hub.execute(
        "DELETE FROM ds_delta WHERE received_from = 'node-a' AND source_seq > " + processedBefore);
    hub.execute(
        "UPDATE ds_node_pointer SET last_processed = "
            + processedBefore
            + " WHERE node_id = 'hub' AND peer_id = 'node-a'");
    assertThat(hub.pointers("node-a").lastProcessed()).isEqualTo(processedBefore);
    hub.startApp();
    a.writer().inTransaction(notes -> notes.insert(new Note(firstId + 20, "after the rollback")));

    nodes.awaitConverged(drain);
    assertThat(a.counters().rewindsApplied()).isGreaterThan(rewindsBefore);
    for (ShipNode node : List.of(hub, a, nodes.b())) {
      assertThat(node.dump())
          .as("%s's notes %d to %d", node.id(), firstId, firstId + 20)
          .filteredOn(row -> idOf(row) >= firstId && idOf(row) <= firstId + 20)
          .hasSize(21);
    }
  }

  /**
   * Rewinds to node-a that are signed with a wrong secret, unsigned, addressed to another node or
   * from a node it shares no secret with are refused; an authentic one asking to go forward is
   * ignored. node-a's pointers stay as they were, and its stream goes on.
   */
  public void forgedAndForwardRewindsChangeNothing(long firstId) throws Exception {
    ShipNode a = nodes.a();
    nodes.awaitConverged(drain);
    NodePointers before = a.pointers("hub");
    long refusedBefore = a.counters().refusedTotal();
    long ignoredBefore = a.counters().rewindsIgnored();
    long appliedBefore = a.counters().rewindsApplied();
    Rewind toZero = new Rewind(0, "forged-batch", before.lastPushed() + 1);
    Rewind forward = new Rewind(before.lastPushed() + 1_000, "ahead", before.lastPushed() + 2_000);

    delivery.deliver(a, "hub-rewind-1-forged.dsync", rewind("hub", "node-a", toZero, WRONG_SECRET));
    delivery.deliver(a, "hub-rewind-2-unsigned.dsync", unsigned("hub", "node-a", toZero));
    delivery.deliver(
        a, "hub-rewind-3-misaddressed.dsync", rewind("hub", "node-b", toZero, ThreeNodes.SECRET_A));
    delivery.deliver(
        a,
        "node-b-rewind-4-unknown.dsync",
        rewind("node-b", "node-a", toZero, ThreeNodes.SECRET_B));
    delivery.deliver(
        a, "hub-rewind-5-forward.dsync", rewind("hub", "node-a", forward, ThreeNodes.SECRET_A));

    Eventually.waitFor(
        drain,
        () ->
            a.counters().refusedTotal() == refusedBefore + 4
                && a.counters().rewindsIgnored() == ignoredBefore + 1,
        () ->
            "node-a refused "
                + (a.counters().refusedTotal() - refusedBefore)
                + " of 4 and ignored "
                + (a.counters().rewindsIgnored() - ignoredBefore)
                + " of 1");
    assertThat(a.counters().rewindsApplied()).isEqualTo(appliedBefore);
    assertThat(a.pointers("hub")).isEqualTo(before);

    a.writer().inTransaction(notes -> notes.insert(new Note(firstId, "after the forgeries")));
    nodes.awaitConverged(drain);
    assertThat(nodes.hub().dump()).filteredOn(row -> row.startsWith(firstId + "|")).hasSize(1);
  }

  private static long idOf(String row) {
    return Long.parseLong(row.substring(0, row.indexOf('|')));
  }

  private static byte[] rewind(String sender, String recipient, Rewind rewind, String secret) {
    return Envelopes.seal(
        new Envelope(Envelope.Type.REWIND, sender, recipient, "r-" + sender, rewind.encode()),
        secret.getBytes(UTF_8));
  }

  private static byte[] unsigned(String sender, String recipient, Rewind rewind) {
    String header =
        "{\"v\":1,\"type\":\"rewind\",\"sender\":\""
            + sender
            + "\",\"recipient\":\""
            + recipient
            + "\",\"id\":\"r-unsigned\"}\n";
    byte[] head = header.getBytes(UTF_8);
    byte[] payload = rewind.encode();
    byte[] plain = new byte[head.length + payload.length];
    System.arraycopy(head, 0, plain, 0, head.length);
    System.arraycopy(payload, 0, plain, head.length, payload.length);
    return Gzip.compress(plain);
  }
}
