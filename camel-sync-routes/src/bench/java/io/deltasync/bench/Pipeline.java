package io.deltasync.bench;

import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.ship.support.ShipNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A PostgreSQL hub and two clients, A and B, on H2 or PostgreSQL, each a Spring Boot application in
 * this JVM running the shipped route files of one transport, with default settings.
 */
final class Pipeline implements AutoCloseable {

  static final String SECRET_A = "node-a-and-hub-share-this";
  static final String SECRET_B = "node-b-and-hub-share-this";

  final Transport transport;
  final String clientKind;
  final ShipNode hub;
  final ShipNode a;
  final ShipNode b;
  private long notes;

  private Pipeline(Transport transport, String clientKind, ShipNode hub, ShipNode a, ShipNode b) {
    this.transport = transport;
    this.clientKind = clientKind;
    this.hub = hub;
    this.a = a;
    this.b = b;
  }

  /** Starts the hub, then both clients; {@code clientKind} is {@code h2} or {@code postgresql}. */
  static Pipeline start(Transport transport, String clientKind, Path dir) {
    Transport.Wiring wiring = transport.wiring(dir);
    TestDatabase hubDb = TestDatabases.postgres("pipe_hub");
    Map<String, Object> hubProperties = properties("hub", hubDb);
    hubProperties.put("deltasync.ship.peers.node-a.secret", SECRET_A);
    hubProperties.put("deltasync.ship.peers.node-b.secret", SECRET_B);
    hubProperties.putAll(wiring.hub());
    ShipNode hub = ShipNode.start("hub", hubDb, hubProperties);
    ShipNode a = client("node-a", SECRET_A, clientKind, wiring.client());
    ShipNode b = client("node-b", SECRET_B, clientKind, wiring.client());
    return new Pipeline(transport, clientKind, hub, a, b);
  }

  /** "H2" or "PostgreSQL", for the tables. */
  String clientLabel() {
    return clientKind.equals("h2") ? "H2" : "PostgreSQL";
  }

  /** Counts rows written on A, which every node must then hold. */
  void written(int rows) {
    notes += rows;
  }

  /**
   * Fails unless every node holds exactly the notes written so far, among them the rows {@code
   * first .. first + rows - 1}, and stored each delta id once.
   */
  void check(long first, int rows) {
    for (ShipNode node : List.of(a, hub, b)) {
      Notes.check(node, first, rows, notes);
      if (node.duplicateDeltas() != 0) {
        throw new IllegalStateException(node.id() + " stored a delta twice");
      }
    }
  }

  private static ShipNode client(
      String id, String secret, String kind, Map<String, Object> transport) {
    TestDatabase db = database(kind, "pipe_" + id.replace('-', '_'));
    Map<String, Object> properties = properties(id, db);
    properties.put("deltasync.node.upstream", "hub");
    properties.put("deltasync.ship.peers.hub.secret", secret);
    properties.putAll(transport);
    return ShipNode.start(id, db, properties);
  }

  private static TestDatabase database(String kind, String name) {
    return kind.equals("h2") ? TestDatabases.h2(name) : TestDatabases.postgres(name);
  }

  /** The test support's base properties, less its small pool: Spring Boot's default pool size. */
  static Map<String, Object> properties(String id, TestDatabase db) {
    Map<String, Object> properties = ShipNode.baseProperties(id, db);
    properties.remove("spring.datasource.hikari.maximum-pool-size");
    properties.put("logging.level.io.deltasync", "WARN");
    return properties;
  }

  @Override
  public void close() {
    a.close();
    b.close();
    hub.close();
    for (ShipNode node : List.of(a, b, hub)) {
      node.db().close();
    }
  }
}
