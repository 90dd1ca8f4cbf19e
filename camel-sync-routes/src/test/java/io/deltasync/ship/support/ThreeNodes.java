package io.deltasync.ship.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.testing.Workload;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A hub and two clients, A and B, each with its own database and application. */
public record ThreeNodes(ShipNode hub, ShipNode a, ShipNode b) implements AutoCloseable {

  /** The secret node-a and the hub share. */
  public static final String SECRET_A = "node-a-and-hub-share-this";

  /** The secret node-b and the hub share. */
  public static final String SECRET_B = "node-b-and-hub-share-this";

  /**
   * Starts a hub and clients node-a and node-b of one transport: each node gets the base
   * properties, the secrets it shares, the clients {@code upstream=hub}, and then the transport's
   * own properties.
   *
   * @param hubDb the hub's database; the clients get H2 databases named after the prefix
   * @param hubTransport the hub's transport properties
   * @param clientTransport each client's transport properties
   */
  public static ThreeNodes start(
      String prefix,
      io.deltasync.schema.TestDatabase hubDb,
      java.util.Map<String, Object> hubTransport,
      java.util.Map<String, Object> clientTransport) {
    java.util.Map<String, Object> hub = ShipNode.baseProperties("hub", hubDb);
    hub.put("deltasync.ship.peers.node-a.secret", SECRET_A);
    hub.put("deltasync.ship.peers.node-b.secret", SECRET_B);
    hub.putAll(hubTransport);
    ShipNode hubNode = ShipNode.start("hub", hubDb, hub);
    return new ThreeNodes(
        hubNode,
        client(prefix, "node-a", SECRET_A, clientTransport),
        client(prefix, "node-b", SECRET_B, clientTransport));
  }

  private static ShipNode client(
      String prefix, String id, String secret, java.util.Map<String, Object> transport) {
    var db = io.deltasync.schema.TestDatabases.h2(prefix + "_" + id.replace('-', '_'));
    java.util.Map<String, Object> properties = ShipNode.baseProperties(id, db);
    properties.put("deltasync.node.upstream", "hub");
    properties.put("deltasync.ship.peers.hub.secret", secret);
    properties.putAll(transport);
    return ShipNode.start(id, db, properties);
  }

  /** After {@link #writeOnBothClients}: the hub stored and applied at least that many deltas. */
  public void assertHubApplied(int deltas) {
    assertThat(hub.store().count()).isGreaterThanOrEqualTo(deltas);
    assertThat(hub.counters().deltasApplied()).isGreaterThanOrEqualTo(deltas);
  }

  /**
   * Stops the hub's application (its database stays), then commits on A one note written while the
   * hub is down (id 5,000,001) and that many workload statements (ids from 5,000,100).
   */
  public void stopHubAndWriteOnA(int statements) {
    hub.stopApp();
    a.writer()
        .inTransaction(
            notes -> notes.insert(new io.deltasync.testing.Note(5_000_001, "written while down")));
    new Workload(7L, 5_000_100, false).run(a.writer(), statements);
  }

  /** A and B write at the same time, each in its own id range, until each committed that many. */
  public void writeOnBothClients(long seed, int statementsEach) {
    CompletableFuture<Void> onA =
        CompletableFuture.runAsync(
            () -> new Workload(seed, 1, false).run(a.writer(), statementsEach));
    CompletableFuture<Void> onB =
        CompletableFuture.runAsync(
            () -> new Workload(seed + 1, 1_000_000, false).run(b.writer(), statementsEach));
    CompletableFuture.allOf(onA, onB).join();
  }

  /**
   * Waits until the routes have drained: the three databases hold the same rows and every pointer
   * is at the last seq of the node it points into.
   */
  public void awaitConverged(Duration timeout) {
    Eventually.waitFor(timeout, this::converged, this::state);
    assertThat(a.dump()).isNotEmpty().isEqualTo(hub.dump()).isEqualTo(b.dump());
    assertThat(hub.duplicateDeltas()).isZero();
    assertThat(a.duplicateDeltas()).isZero();
    assertThat(b.duplicateDeltas()).isZero();
  }

  private boolean converged() {
    long hubLast = hub.store().lastSeq();
    for (ShipNode client : List.of(a, b)) {
      long clientLast = client.store().lastSeq();
      if (client.pointers("hub").lastPushed() != clientLast
          || hub.pointers(client.id()).lastProcessed() != clientLast
          || client.pointers("hub").lastProcessed() != hubLast
          || hub.pointers(client.id()).lastPushed() != hubLast) {
        return false;
      }
    }
    return a.dump().equals(hub.dump()) && b.dump().equals(hub.dump());
  }

  /** Seqs, pointers and row counts, for a failure message. */
  public String state() {
    StringBuilder text = new StringBuilder();
    for (ShipNode node : List.of(hub, a, b)) {
      text.append('\n')
          .append(node.id())
          .append(": lastSeq=")
          .append(node.store().lastSeq())
          .append(" rows=")
          .append(node.dump().size())
          .append(" pointers=")
          .append(node.store().allPointers());
    }
    return text.toString();
  }

  @Override
  public void close() {
    a.close();
    b.close();
    hub.close();
  }
}
