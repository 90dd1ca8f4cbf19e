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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.ibatis.session.SqlSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads through one drop folder, for clients that reach their hub by files only: a hub on
 * PostgreSQL runs the shipped {@code file-send} and {@code file-receive} files (its receive route
 * answers load requests as {@code <request id>.answer} files); a new H2 client runs {@code
 * file-load} with the other two, joins while the hub takes relative updates, and ends equal to the
 * hub, each delta after the snapshot applied once. A client left behind by a forced purge gets the
 * hub's reload notice in its folder and reloads through the folder on its own. A request the hub
 * refuses comes back as a signed refusal naming the reason; a signed request whose id is a path
 * goes to the dead letters and writes no answer.
 */
class LoadOverFilesIT {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int ITEMS = 200;

  @TempDir static Path folder;
  private static ShipNode hub;

  @BeforeAll
  static void startHub() {
    TestDatabase db = TestDatabases.postgres("load_files_hub");
    Items.create(db);
    Map<String, Object> properties = ShipNode.baseProperties("hub", db);
    for (String client : new String[] {"node-f", "node-q", "node-r"}) {
      properties.put("deltasync.ship.peers." + client + ".secret", secret(client));
    }
    properties.put("deltasync.ship.folder", folder.toString());
    properties.put("deltasync.ship.dead-letter-uri", "file:" + folder.resolve("dead-letter"));
    properties.put(
        "deltasync.ship.routes",
        "classpath:deltasync/examples/file-send.camel.yaml,"
            + "classpath:deltasync/examples/file-receive.camel.yaml");
    hub = ShipNode.start("hub", db, properties);
    hub.writer().sessions().getConfiguration().addMapper(Items.class);
    new Workload(81L, 1, false).run(hub.writer(), 400);
    Items.insertSome(hub.writer(), ITEMS, 9);
  }

  @AfterAll
  static void stopHub() {
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  void aNewNodeLoadsThroughTheFolderWhileTheHubWritesAndEndsEqualToIt() throws Exception {
    TestDatabase db = TestDatabases.h2("load-files-f");
    Items.create(db);
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger rounds = new AtomicInteger();
    Thread writer = new Thread(() -> keepWriting(writing, rounds), "writer-node-f");
    writer.start();
    ShipNode node = null;
    try {
      awaitRounds(rounds, 2, WAIT);
      node = ShipNode.start("node-f", db, clientProperties("node-f", db));
      awaitLoaded(node, WAIT);
      awaitRounds(rounds, rounds.get() + 2, WAIT);
    } finally {
      writing.set(false);
      writer.join();
    }
    try {
      awaitCaughtUp(node, hub, WAIT);
      long snapshot = count(node.db(), "SELECT MAX(snapshot_seq) FROM ds_load");
      long after = count(hub.db(), "SELECT COUNT(*) FROM ds_delta WHERE seq > " + snapshot);
      assertThat(after).as("writes after the snapshot").isPositive();
      assertThat(count(node.db(), "SELECT COUNT(*) FROM ds_delta"))
          .as("each delta after the snapshot applied once")
          .isEqualTo(after);
      LoadProgress done =
          new LoadProgressReader(node.db().dataSource(), "node-f").read("hub").orElseThrow();
      assertThat(done.state()).isEqualTo(LoadProgress.State.DONE);
      assertThat(done.rowsLoaded()).isEqualTo(done.rowsTotal()).isPositive();
      assertThat(NotesSchema.notes(node.db().dataSource()))
          .containsExactlyElementsOf(NotesSchema.notes(hub.db().dataSource()));
      assertThat(Items.dump(node.db())).containsExactlyElementsOf(Items.dump(hub.db()));
      assertThat(count(node.db(), "SELECT COUNT(*) FROM ds_dead_letter")).isZero();
      // the load's last request (closing its snapshot) may still be on its way when its rows are
      // done: its answer is taken, and deleted, once it arrives
      Eventually.waitFor(
          WAIT,
          () -> answers(folder.resolve("node-f")).isEmpty(),
          () -> "answers left: " + answers(folder.resolve("node-f")));
    } finally {
      node.close();
    }
  }

  @Test
  void aClientLeftBehindByAForcedPurgeReloadsThroughTheFolderOnItsOwn() throws Exception {
    TestDatabase db = TestDatabases.h2("load-files-r");
    Items.create(db);
    ShipNode node = ShipNode.start("node-r", db, clientProperties("node-r", db));
    try {
      awaitLoaded(node, WAIT);
      awaitCaughtUp(node, hub, WAIT);
      assertThat(purgeUnsent(hub, "deltasync-file-send", 40_000_001, 3)).contains("node-r");
      hub.writer().inTransaction(notes -> notes.insert(new Note(40_000_010, "after the purge")));
      String before = loadId(node);

      try (LogLines reloads = LogLines.of("io.deltasync.load.Loader")) {
        hub.camel().getRouteController().startRoute("deltasync-file-send");
        awaitReloaded(node, before, WAIT);
        awaitCaughtUp(node, hub, WAIT);
        assertThat(reloads.all())
            .as("the client logs the gap it reloads for")
            .anyMatch(line -> line.contains("node-r") && line.contains("purge"));
      }

      assertThat(
              count(
                  hub.db(),
                  "SELECT COUNT(*) FROM ds_reload WHERE node_id = 'node-r' OR source_id = 'node-r'"))
          .as("the hub forgot the reload it asked of the client once it loaded")
          .isZero();
      assertThat(NotesSchema.notes(node.db().dataSource()))
          .filteredOn(row -> row.startsWith("4000000") || row.startsWith("40000010|"))
          .hasSize(4);
      assertThat(NotesSchema.notes(node.db().dataSource()))
          .containsExactlyElementsOf(NotesSchema.notes(hub.db().dataSource()));
      assertThat(Items.dump(node.db())).containsExactlyElementsOf(Items.dump(hub.db()));
      assertThat(count(node.db(), "SELECT COUNT(*) FROM ds_dead_letter")).isZero();
    } finally {
      if (hub.camel().getRouteController().getRouteStatus("deltasync-file-send").isStopped()) {
        hub.camel().getRouteController().startRoute("deltasync-file-send");
      }
      node.close();
    }
  }

  @Test
  void aRequestTheHubRefusesComesBackAsASignedRefusalNamingWhy() throws Exception {
    hub.execute("CREATE TABLE shelf_log (shelf VARCHAR(20), item_id BIGINT)");
    TestDatabase db = TestDatabases.h2("load-files-q");
    Items.create(db);
    db.execute("CREATE TABLE shelf_log (shelf VARCHAR(20), item_id BIGINT PRIMARY KEY)");
    ShipNode node = ShipNode.start("node-q", db, clientProperties("node-q", db));
    // Spring Boot sets logging up as the application starts: collect after, and restart the route,
    // whose first failure is logged once per run
    try (LogLines failures = LogLines.of("io.deltasync.ship.ShippingConsumer")) {
      node.camel().getRouteController().stopRoute("deltasync-file-load");
      node.camel().getRouteController().startRoute("deltasync-file-load");
      Eventually.waitFor(
          WAIT,
          () -> failures.any("Loading from hub (route deltasync-file-load) failed"),
          () -> "logged " + failures.all());
      assertThat(failures.all())
          .filteredOn(line -> line.contains("deltasync-file-load"))
          .first()
          .asString()
          .contains("hub answered 400 to a load request (open) from node-q")
          .contains("shelf_log")
          .contains("no primary key");
      assertThat(count(db, "SELECT COUNT(*) FROM ds_load")).isZero();
      assertThat(count(db, "SELECT COUNT(*) FROM item")).isZero();
    } finally {
      node.close();
      hub.execute("DROP TABLE shelf_log");
    }
  }

  @Test
  void aRequestWhoseIdIsAPathIsRefusedAndAnswersNowhere() throws Exception {
    byte[] request = io.deltasync.ship.LoadRequest.open(java.util.List.of("item")).encode();
    byte[] wire =
        io.deltasync.ship.Envelopes.seal(
            new io.deltasync.ship.Envelope(
                io.deltasync.ship.Envelope.Type.LOAD, "node-q", "hub", "../../escape", request),
            secret("node-q").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Path hubFolder = Files.createDirectories(folder.resolve("hub"));
    Files.write(hubFolder.resolve(".part-node-q-load-escape.dsync"), wire);
    Files.move(
        hubFolder.resolve(".part-node-q-load-escape.dsync"),
        hubFolder.resolve("node-q-load-escape.dsync"));

    Eventually.waitFor(
        WAIT,
        () -> !Files.exists(hubFolder.resolve("node-q-load-escape.dsync")),
        () -> "the hub has not taken the request");
    Path deadLetters = folder.resolve("dead-letter");
    Eventually.waitFor(
        WAIT,
        () -> Files.isDirectory(deadLetters) && list(deadLetters) > 0,
        () -> "no dead letter");
    assertThat(folder.getParent().resolve("escape.answer")).doesNotExist();
    try (Stream<Path> everything = Files.walk(folder)) {
      assertThat(everything.map(path -> path.getFileName().toString()))
          .noneMatch(name -> name.contains("escape.answer"));
    }
  }

  private static List<String> answers(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(path -> path.getFileName().toString())
          .filter(name -> name.endsWith(".answer"))
          .toList();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long list(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.count();
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  /** The hub takes relative updates of its items and new notes, in rounds. */
  private static void keepWriting(AtomicBoolean writing, AtomicInteger rounds) {
    Random random = new Random(11);
    Workload notes = new Workload(91L, 30_000_000L, false);
    while (writing.get()) {
      try (SqlSession session = hub.writer().sessions().openSession()) {
        Items items = session.getMapper(Items.class);
        for (int i = 0; i < 10; i++) {
          items.take(1 + random.nextInt(ITEMS), 1 + random.nextInt(3));
        }
        session.commit();
      }
      notes.run(hub.writer(), notes.committedStatements() + 10);
      rounds.incrementAndGet();
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static Map<String, Object> clientProperties(String id, TestDatabase db) {
    Map<String, Object> properties = ShipNode.baseProperties(id, db);
    properties.put("deltasync.node.upstream", "hub");
    properties.put("deltasync.ship.peers.hub.secret", secret(id));
    properties.put("deltasync.ship.folder", folder.toString());
    properties.put("deltasync.ship.dead-letter-uri", "file:" + folder.resolve("dead-letter"));
    properties.put(
        "deltasync.ship.routes",
        "classpath:deltasync/examples/file-load.camel.yaml,"
            + "classpath:deltasync/examples/file-send.camel.yaml,"
            + "classpath:deltasync/examples/file-receive.camel.yaml");
    return properties;
  }

  private static String secret(String client) {
    return client + "-and-hub-file-load-secret";
  }
}
