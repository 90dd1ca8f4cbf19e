package io.deltasync.ship.support;

import io.deltasync.capture.CaptureSettings;
import io.deltasync.delta.NameFilter;
import io.deltasync.node.SyncNode;
import io.deltasync.schema.TestDatabase;
import io.deltasync.ship.ShipCounters;
import io.deltasync.store.DeltaStore;
import io.deltasync.store.NodePointers;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One node of a shipping test: its database, a MyBatis writer that captures (with the node's {@code
 * deltasync.node.upstream} as its basis, like the application's own), and a Spring Boot application
 * running the node's Camel routes, which can be stopped and started again.
 */
public final class ShipNode implements AutoCloseable {

  private final String id;
  private final TestDatabase db;
  private final TestNode writer;
  private final Map<String, Object> properties;
  private ConfigurableApplicationContext app;

  private ShipNode(String id, TestDatabase db, Map<String, Object> properties) {
    this.id = id;
    this.db = db;
    Object upstream = properties.get("deltasync.node.upstream");
    this.writer =
        TestNode.start(
            db,
            new CaptureSettings(
                id,
                upstream == null ? null : upstream.toString(),
                NameFilter.ALL,
                NameFilter.ALL,
                Set.of()));
    this.properties = properties;
  }

  /** Installs the schemas on the database and starts the node's application. */
  public static ShipNode start(String id, TestDatabase db, Map<String, Object> properties) {
    ShipNode node = new ShipNode(id, db, properties);
    node.startApp();
    return node;
  }

  /**
   * Installs the schemas on the database, but starts nothing: the test writes first, then calls
   * {@link #startApp()}.
   */
  public static ShipNode prepare(String id, TestDatabase db, Map<String, Object> properties) {
    return new ShipNode(id, db, properties);
  }

  /** The properties every node application gets, before its own. */
  public static Map<String, Object> baseProperties(String id, TestDatabase db) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("spring.main.banner-mode", "off");
    properties.put("spring.datasource.url", db.jdbcUrl());
    properties.put("spring.datasource.username", db.user());
    properties.put("spring.datasource.password", db.password());
    properties.put("spring.datasource.hikari.maximum-pool-size", "4");
    properties.put("spring.liquibase.enabled", "false");
    properties.put("spring.artemis.embedded.enabled", "false");
    properties.put("server.port", "0");
    properties.put("camel.main.name", id);
    properties.put("camel.main.jmx-enabled", "false");
    properties.put("camel.main.shutdown-timeout", "5");
    properties.put("deltasync.node.id", id);
    return properties;
  }

  /**
   * A free loopback URL for a hub's embedded Artemis broker to accept other nodes at ({@code
   * deltasync.ship.broker-acceptor}).
   */
  public static String freeBrokerUrl() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return "tcp://127.0.0.1:" + socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Makes the node run an embedded Artemis broker that keeps its messages in {@code dataDirectory}
   * (persistent, as a hub's must be: the outbox counts a batch as delivered once the broker has it)
   * and accepts other nodes at {@code url}.
   */
  public static void embeddedBroker(
      Map<String, Object> properties, java.nio.file.Path dataDirectory, String url) {
    properties.put("spring.artemis.mode", "embedded");
    properties.put("spring.artemis.embedded.enabled", "true");
    properties.put("spring.artemis.embedded.persistent", "true");
    properties.put("spring.artemis.embedded.data-directory", dataDirectory.toString());
    properties.put("deltasync.ship.broker-acceptor", url);
  }

  /** Makes the node a JMS client of the broker at {@code url}. */
  public static void brokerClient(Map<String, Object> properties, String url) {
    properties.put("spring.artemis.mode", "native");
    properties.put("spring.artemis.broker-url", url);
  }

  /** Starts the application (again). */
  public void startApp() {
    if (app != null) {
      throw new IllegalStateException(id + " is running already");
    }
    app = new SpringApplicationBuilder(ShipTestApplication.class).properties(properties).run();
  }

  /** Stops the application; the database stays. */
  public void stopApp() {
    if (app != null) {
      app.close();
      app = null;
    }
  }

  public String id() {
    return id;
  }

  public TestDatabase db() {
    return db;
  }

  /** Writes through MyBatis with capture on. */
  public TestNode writer() {
    return writer;
  }

  /** The running application. */
  public ConfigurableApplicationContext app() {
    if (app == null) {
      throw new IllegalStateException(id + " is not running");
    }
    return app;
  }

  /** The running application's Camel context. */
  public CamelContext camel() {
    return app().getBean(CamelContext.class);
  }

  /** The running application's counters. */
  public ShipCounters counters() {
    return app().getBean(ShipCounters.class);
  }

  /** The node's port, when its application serves HTTP. */
  public int port() {
    return Integer.parseInt(app().getEnvironment().getProperty("local.server.port"));
  }

  /** The node's store, read directly from its database. */
  public DeltaStore store() {
    return writer.node().store();
  }

  /** The node facade over its database. */
  public SyncNode syncNode() {
    return writer.node();
  }

  /** The node's pointers for the peer. */
  public NodePointers pointers(String peer) {
    return store().pointers(peer);
  }

  /** The application tables, one line per row, for comparing nodes. */
  public List<String> dump() {
    List<String> rows = new ArrayList<>(NotesSchema.notes(db.dataSource()));
    rows.addAll(NotesSchema.tickets(db.dataSource()));
    return rows;
  }

  /** H2 only: writes a backup of the whole database (tables and ds_ tables) to the file. */
  public void backupTo(Path file) {
    execute("SCRIPT TO '" + file + "'");
  }

  /**
   * H2 only, with the application stopped: puts the database back as the backup holds it; what
   * happened after the backup is lost, pointers included.
   */
  public void restoreFrom(Path file) {
    if (app != null) {
      throw new IllegalStateException("stop " + id + " before restoring its database");
    }
    execute("DROP ALL OBJECTS");
    execute("RUNSCRIPT FROM '" + file + "'");
  }

  /** Runs one statement on the node's database, outside any application. */
  public void execute(String sql) {
    try (Connection connection = db.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not run " + sql + " on " + id, e);
    }
  }

  /** How many rows of ds_delta share a delta id with another: 0 when nothing arrived twice. */
  public long duplicateDeltas() {
    return NotesSchema.count(
        db.dataSource(), "SELECT COUNT(*) - COUNT(DISTINCT delta_id) FROM ds_delta");
  }

  @Override
  public void close() {
    stopApp();
  }
}
