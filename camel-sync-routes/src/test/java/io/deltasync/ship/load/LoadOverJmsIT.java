package io.deltasync.ship.load;

import static io.deltasync.ship.load.Joining.awaitCaughtUp;
import static io.deltasync.ship.load.Joining.awaitLoaded;
import static io.deltasync.ship.load.Joining.awaitReloaded;
import static io.deltasync.ship.load.Joining.awaitRounds;
import static io.deltasync.ship.load.Joining.count;
import static io.deltasync.ship.load.Joining.loadId;
import static io.deltasync.ship.load.Joining.purgeUnsent;
import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.load.LoadProgress;
import io.deltasync.load.LoadProgressReader;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.ship.support.Eventually;
import io.deltasync.ship.support.LogLines;
import io.deltasync.ship.support.ShipNode;
import io.deltasync.testing.Note;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.Workload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ibatis.session.SqlSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads over JMS, for clients that reach their hub through a broker only: a hub on PostgreSQL with
 * its embedded Artemis broker runs the shipped {@code jms-send}, {@code jms-receive} and {@code
 * jms-serve-load} files; clients on H2 connect to it by URL and run {@code jms-load} (first) with
 * the other two. A new client joins while the hub keeps writing, relative updates among them, and
 * ends equal to the hub, each delta after the snapshot applied once; clients left behind by a
 * forced purge are told so on their queues and reload through the same route on their own; a client
 * whose secret is wrong gets nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoadOverJmsIT {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int ITEMS = 300;
  private static final String CLIENT_ROUTES =
      "classpath:deltasync/examples/jms-load.camel.yaml,"
          + "classpath:deltasync/examples/jms-send.camel.yaml,"
          + "classpath:deltasync/examples/jms-receive.camel.yaml";

  @TempDir static Path brokerData;
  private static ShipNode hub;
  private static String brokerUrl;
  private static ShipNode joined;

  @BeforeAll
  static void startHub() {
    brokerUrl = ShipNode.freeBrokerUrl();
    TestDatabase db = TestDatabases.postgres("load_jms_hub");
    Items.create(db);
    Map<String, Object> properties = ShipNode.baseProperties("hub", db);
    for (String client : new String[] {"node-j", "node-k", "node-x"}) {
      properties.put("deltasync.ship.peers." + client + ".secret", secret(client));
    }
    ShipNode.embeddedBroker(properties, brokerData, brokerUrl);
    properties.put(
        "deltasync.ship.routes",
        "classpath:deltasync/examples/jms-send.camel.yaml,"
            + "classpath:deltasync/examples/jms-receive.camel.yaml,"
            + "classpath:deltasync/examples/jms-serve-load.camel.yaml");
    hub = ShipNode.start("hub", db, properties);
    hub.writer().sessions().getConfiguration().addMapper(Items.class);
    new Workload(61L, 1, false).run(hub.writer(), 800);
    Items.insertSome(hub.writer(), ITEMS, 5);
  }

  @AfterAll
  static void stopAll() {
    if (joined != null) {
      joined.close();
    }
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  @Order(1)
  void aNewNodeLoadsOverJmsWhileTheHubWritesAndEndsEqualToIt() throws Exception {
    TestDatabase db = TestDatabases.h2("load-jms-j");
    Items.create(db);
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger rounds = new AtomicInteger();
    Thread writer = new Thread(() -> keepWriting(writing, rounds), "writer-node-j");
    writer.start();
    try {
      awaitRounds(rounds, 2, WAIT);
      joined = ShipNode.start("node-j", db, clientProperties("node-j", db, secret("node-j")));
      awaitLoaded(joined, WAIT);
      awaitRounds(rounds, rounds.get() + 3, WAIT);
    } finally {
      writing.set(false);
      writer.join();
    }
    awaitCaughtUp(joined, hub, WAIT);

    long snapshot = count(joined.db(), "SELECT MAX(snapshot_seq) FROM ds_load");
    long after = count(hub.db(), "SELECT COUNT(*) FROM ds_delta WHERE seq > " + snapshot);
    assertThat(after).as("writes after the snapshot").isPositive();
    assertThat(count(joined.db(), "SELECT COUNT(*) FROM ds_delta"))
        .as("each delta after the snapshot applied once")
        .isEqualTo(after);
    LoadProgress done = progress(joined);
    assertThat(done.state()).isEqualTo(LoadProgress.State.DONE);
    assertThat(done.rowsLoaded()).isEqualTo(done.rowsTotal()).isPositive();
    assertEqualToHub(joined);
  }

  @Test
  @Order(2)
  void clientsLeftBehindByAForcedPurgeReloadOverJmsOnTheirOwn() throws Exception {
    TestDatabase db = TestDatabases.h2("load-jms-k");
    Items.create(db);
    ShipNode second =
        ShipNode.start("node-k", db, clientProperties("node-k", db, secret("node-k")));
    try {
      awaitLoaded(second, WAIT);
      awaitCaughtUp(second, hub, WAIT);
      awaitCaughtUp(joined, hub, WAIT);
      assertThat(purgeUnsent(hub, "deltasync-jms-send", 30_000_001, 3))
          .contains("node-j", "node-k");
      hub.writer().inTransaction(notes -> notes.insert(new Note(30_000_010, "after the purge")));
      String[] loadsBefore = {loadId(joined), loadId(second)};

      try (LogLines reloads = LogLines.of("io.deltasync.load.Loader")) {
        hub.camel().getRouteController().startRoute("deltasync-jms-send");
        awaitReloaded(joined, loadsBefore[0], WAIT);
        awaitReloaded(second, loadsBefore[1], WAIT);
        awaitCaughtUp(joined, hub, WAIT);
        awaitCaughtUp(second, hub, WAIT);
        assertThat(reloads.all())
            .as("each client logs the gap it reloads for")
            .anyMatch(line -> line.contains("node-j") && line.contains("purge"))
            .anyMatch(line -> line.contains("node-k") && line.contains("purge"));
      }

      assertThat(
              count(
                  hub.db(),
                  "SELECT COUNT(*) FROM ds_reload WHERE node_id IN ('node-j', 'node-k')"
                      + " OR source_id IN ('node-j', 'node-k')"))
          .as("the hub forgot the reloads it asked of them once they loaded")
          .isZero();
      for (ShipNode client : new ShipNode[] {joined, second}) {
        assertThat(NotesSchema.notes(client.db().dataSource()))
            .filteredOn(row -> row.startsWith("3000000") || row.startsWith("30000010|"))
            .hasSize(4);
        assertEqualToHub(client);
      }
    } finally {
      second.close();
    }
  }

  @Test
  @Order(3)
  void aClientWithTheWrongSecretGetsNothing() {
    TestDatabase db = TestDatabases.h2("load-jms-x");
    Items.create(db);
    ShipNode stranger =
        ShipNode.start(
            "node-x", db, clientProperties("node-x", db, "not-the-secret-node-x-and-hub-share"));
    // Spring Boot sets logging up as the application starts: collect after, and restart the route,
    // whose first failure is logged once per run
    try (LogLines failures = LogLines.of("io.deltasync.ship.ShippingConsumer")) {
      stranger.camel().getRouteController().stopRoute("deltasync-jms-load");
      stranger.camel().getRouteController().startRoute("deltasync-jms-load");
      Eventually.waitFor(
          WAIT,
          () -> failures.any("Loading from hub (route deltasync-jms-load) failed"),
          () -> "logged " + failures.all());
      assertThat(failures.all())
          .filteredOn(line -> line.contains("deltasync-jms-load"))
          .first()
          .asString()
          .contains("hub answered 401 to a load request (open) from node-x: bad signature");
      assertThat(count(db, "SELECT COUNT(*) FROM ds_load")).isZero();
      assertThat(count(db, "SELECT COUNT(*) FROM item")).isZero();
      assertThat(count(db, "SELECT COUNT(*) FROM note")).isZero();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      stranger.close();
    }
  }

  /** The hub takes relative updates of its items and new notes, in rounds. */
  private static void keepWriting(AtomicBoolean writing, AtomicInteger rounds) {
    Random random = new Random(7);
    Workload notes = new Workload(71L, 20_000_000L, false);
    while (writing.get()) {
      try (SqlSession session = hub.writer().sessions().openSession()) {
        Items items = session.getMapper(Items.class);
        for (int i = 0; i < 20; i++) {
          items.take(1 + random.nextInt(ITEMS), 1 + random.nextInt(3));
        }
        session.commit();
      }
      notes.run(hub.writer(), notes.committedStatements() + 20);
      rounds.incrementAndGet();
    }
  }

  private static Map<String, Object> clientProperties(String id, TestDatabase db, String secret) {
    Map<String, Object> properties = ShipNode.baseProperties(id, db);
    properties.put("deltasync.node.upstream", "hub");
    properties.put("deltasync.ship.peers.hub.secret", secret);
    properties.put("deltasync.load.chunk-rows", 40);
    ShipNode.brokerClient(properties, brokerUrl);
    properties.put("deltasync.ship.routes", CLIENT_ROUTES);
    return properties;
  }

  private static void assertEqualToHub(ShipNode node) {
    assertThat(NotesSchema.notes(node.db().dataSource()))
        .containsExactlyElementsOf(NotesSchema.notes(hub.db().dataSource()));
    assertThat(NotesSchema.tickets(node.db().dataSource()))
        .containsExactlyElementsOf(NotesSchema.tickets(hub.db().dataSource()));
    assertThat(Items.dump(node.db())).containsExactlyElementsOf(Items.dump(hub.db()));
    assertThat(count(node.db(), "SELECT COUNT(*) FROM ds_dead_letter")).isZero();
    assertThat(count(hub.db(), "SELECT COUNT(*) FROM ds_dead_letter")).isZero();
  }

  private static LoadProgress progress(ShipNode node) {
    return new LoadProgressReader(node.db().dataSource(), node.id()).read("hub").orElseThrow();
  }

  private static String secret(String client) {
    return client + "-and-hub-jms-load-secret";
  }
}
