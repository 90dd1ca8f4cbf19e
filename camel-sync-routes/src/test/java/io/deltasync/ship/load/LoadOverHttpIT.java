package io.deltasync.ship.load;

import static io.deltasync.ship.load.Joining.awaitCaughtUp;
import static io.deltasync.ship.load.Joining.awaitLoaded;
import static io.deltasync.ship.load.Joining.awaitRounds;
import static io.deltasync.ship.load.Joining.loadId;
import static io.deltasync.ship.load.Joining.loadedRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.delta.NameFilter;
import io.deltasync.load.LoadException;
import io.deltasync.load.LoadProgress;
import io.deltasync.load.LoadProgressReader;
import io.deltasync.load.Loader;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.ship.HttpLoadSource;
import io.deltasync.ship.support.Eventually;
import io.deltasync.ship.support.HttpPeer;
import io.deltasync.ship.support.ShipNode;
import io.deltasync.testing.Note;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import io.deltasync.testing.Workload;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ibatis.session.SqlSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A hub on PostgreSQL running the shipped {@code http-serve} routes, with notes and items (varied
 * types) written on it and by a client pushing over HTTP, relative updates among them, while new
 * nodes join through the shipped {@code http-pull} route: an H2 node and a MariaDB node load the
 * hub's snapshot over real HTTP on loopback, then pull, and end equal to the hub in every column,
 * every delta after the snapshot applied once, no dead letter. A load stopped mid-way resumes in
 * the same snapshot; a table without a primary key is refused by name.
 */
class LoadOverHttpIT {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int ITEMS = 300;
  private static final AtomicInteger RUNS = new AtomicInteger();

  private static ShipNode hub;
  private static String url;
  private static TestNode pusher;
  private static HttpPeer pusherPeer;

  @BeforeAll
  static void startHub() {
    TestDatabase db = TestDatabases.postgres("load_http_hub");
    Items.create(db);
    Map<String, Object> properties = ShipNode.baseProperties("hub", db);
    for (String client :
        new String[] {"node-h", "node-m", "node-r", "node-x", "node-w", "node-f"}) {
      properties.put("deltasync.ship.peers." + client + ".secret", secret(client));
    }
    properties.put("deltasync.capture.exclude-tables", "audit_log");
    properties.put("deltasync.ship.routes", "classpath:deltasync/examples/http-serve.camel.yaml");
    hub = ShipNode.start("hub", db, properties);
    url = "http://localhost:" + hub.port();
    hub.writer().sessions().getConfiguration().addMapper(Items.class);
    new Workload(41L, 1, false).run(hub.writer(), 1_000);
    Items.insertSome(hub.writer(), ITEMS, 3);
    hub.execute("INSERT INTO audit_log (id, message) VALUES (1, 'the hub does not replicate it')");
    pusher = TestNode.start("node-w", TestDatabases.h2("load-http-pusher"));
    pusherPeer = new HttpPeer("hub", url, "node-w", secret("node-w"));
  }

  @AfterAll
  static void stopHub() {
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  void anH2NodeJoiningThroughThePullRouteEndsEqualToTheHub() throws Exception {
    joins(TestDatabases.h2("load-http-h"), "node-h");
  }

  @Test
  void aMariaDbNodeJoiningThroughThePullRouteEndsEqualToTheHub() throws Exception {
    joins(TestDatabases.mariadb("load_http_m"), "node-m");
  }

  @Test
  void aLoadStoppedMidwayResumesInTheSameSnapshotAndEndsEqual() {
    TestDatabase db = TestDatabases.h2("load-http-r");
    Items.create(db);
    ShipNode node = ShipNode.start("node-r", db, clientProperties("node-r", db, 5));
    try {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (loadedRows(node) < 60 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      node.stopApp();
      String loadId = loadId(node);
      assertThat(count(node, "SELECT COUNT(*) FROM ds_load WHERE state = 'LOADING'"))
          .as("stopped mid-way")
          .isPositive();
      long stoppedAt = loadedRows(node);
      LoadProgress stopped = progress(node);
      assertThat(stopped.state()).isEqualTo(LoadProgress.State.LOADING);
      assertThat(stopped.rowsTotal())
          .as("the hub's row counts came over HTTP")
          .isNotNull()
          .isGreaterThan(stopped.rowsLoaded());

      node.startApp();
      awaitLoaded(node, WAIT);
      awaitCaughtUp(node, hub, WAIT);

      LoadProgress done = progress(node);
      assertThat(done.state()).isEqualTo(LoadProgress.State.DONE);
      assertThat(done.rowsLoaded()).isEqualTo(stopped.rowsTotal()).isEqualTo(done.rowsTotal());
      assertThat(loadId(node)).as("resumed in the same snapshot").isEqualTo(loadId);
      assertThat(stoppedAt).isPositive();
      assertEqualToHub(node);
    } finally {
      node.close();
    }
  }

  @Test
  void aNodeThatWroteBeforeItsFirstContactLoadsThroughThePullRouteAndPushesItsOwnWrites() {
    TestDatabase db = TestDatabases.h2("load-http-f");
    Items.create(db);
    Map<String, Object> properties = clientProperties("node-f", db, 50);
    properties.put(
        "deltasync.ship.routes",
        "classpath:deltasync/examples/http-pull.camel.yaml,"
            + "classpath:deltasync/examples/http-push.camel.yaml");
    ShipNode node = ShipNode.prepare("node-f", db, properties);
    try {
      // an offline app's first days: captured writes, never shipped
      for (long id = 8_000_001; id <= 8_000_010; id++) {
        long note = id;
        node.writer().inTransaction(notes -> notes.insert(new Note(note, "offline " + note)));
      }
      node.writer().inTransaction(notes -> notes.update(new Note(8_000_004, "changed offline")));
      node.writer().inTransaction(notes -> notes.delete(8_000_005));
      List<String> own = NotesSchema.notes(db.dataSource());
      // a row the hub holds without a delta (written past DeltaSync): only a load brings it
      hub.execute(
          "INSERT INTO note (id, title, done, amount) VALUES (8000500, 'hub only', FALSE, 0)");

      node.startApp();
      awaitLoaded(node, WAIT);
      Eventually.waitFor(
          WAIT,
          () ->
              NotesSchema.notes(hub.db().dataSource()).containsAll(own)
                  && NotesSchema.notes(node.db().dataSource())
                      .equals(NotesSchema.notes(hub.db().dataSource())),
          () -> "node-f and the hub differ");

      assertEqualToHub(node);
      assertThat(count(node, "SELECT COUNT(*) FROM note WHERE id = 8000500")).isOne();
      assertThat(count(node, "SELECT COUNT(*) FROM note WHERE id = 8000005")).isZero();
      assertThat(Joining.count(hub.db(), "SELECT COUNT(*) FROM note WHERE id = 8000005")).isZero();
      assertThat(count(node, "SELECT COUNT(*) - COUNT(DISTINCT delta_id) FROM ds_delta")).isZero();
    } finally {
      node.close();
    }
  }

  @Test
  void aTableWithoutAPrimaryKeyIsRefusedByName() {
    TestNode node = TestNode.start("node-x", TestDatabases.h2("load-http-nokey"));
    Items.create(node.db());
    node.db().execute("CREATE TABLE shelf_log (shelf VARCHAR(20), item_id BIGINT)");
    Loader loader = loader(node, secret("node-x"), 50);

    assertThatThrownBy(loader::run)
        .isInstanceOf(LoadException.class)
        .hasMessageContaining("cannot load shelf_log from hub: no primary key");
  }

  /**
   * Rows of 30 kB of bytes each, 700 of them: a chunk of as many rows as the setting allows would
   * be 21 MB of base64 that gzip cannot shrink, past the 16 MiB an envelope may hold. Chunks sized
   * by bytes stay near 4 MiB.
   */
  @Test
  void aTableOfWideRowsLoadsInChunksSizedByBytes() throws Exception {
    hub.execute("CREATE TABLE photo (id BIGINT PRIMARY KEY, data BYTEA NOT NULL)");
    Map<Long, byte[]> photos = insertRandomBytes("photo", 700, 30_000);
    TestNode node = TestNode.start("node-x", TestDatabases.h2("load-http-wide"));
    node.db().execute("CREATE TABLE photo (id BIGINT PRIMARY KEY, data VARBINARY(30000) NOT NULL)");
    Loader loader = loader(node, secret("node-x"), Loader.DEFAULT_CHUNK_ROWS);
    loader.run();

    Map<Long, byte[]> loaded = new TreeMap<>();
    try (Connection connection = node.db().dataSource().getConnection();
        ResultSet rows = connection.createStatement().executeQuery("SELECT id, data FROM photo")) {
      while (rows.next()) {
        loaded.put(rows.getLong(1), rows.getBytes(2));
      }
    }
    assertThat(loaded).hasSameSizeAs(photos);
    photos.forEach((id, data) -> assertThat(loaded.get(id)).as("photo %d", id).isEqualTo(data));
    LoadProgress done =
        new LoadProgressReader(node.db().dataSource(), "node-x").read("hub").orElseThrow();
    assertThat(done.state()).isEqualTo(LoadProgress.State.DONE);
    assertThat(done.rowsLoaded()).isEqualTo(done.rowsTotal());
  }

  /** A row larger than an envelope may be cannot travel: the load stops, naming the limit. */
  @Test
  void aRowLargerThanAnEnvelopeMayBeStopsTheLoadWithAClearError() throws Exception {
    hub.execute("CREATE TABLE scan (id BIGINT PRIMARY KEY, data BYTEA NOT NULL)");
    insertRandomBytes("scan", 1, 20_000_000);
    TestNode node = TestNode.start("node-x", TestDatabases.h2("load-http-huge"));
    node.db().execute("CREATE TABLE scan (id BIGINT PRIMARY KEY, data VARBINARY(20000000))");
    Loader loader = loader(node, secret("node-x"), Loader.DEFAULT_CHUNK_ROWS);
    assertThatThrownBy(loader::run)
        .isInstanceOf(LoadException.class)
        .hasMessageContaining(
            "could not read a chunk of scan from hub after the start of the table")
        .hasMessageContaining("larger than the 16777216 bytes this node accepts")
        .hasMessageContaining("deltasync.ship.max-envelope-bytes");
    // the hub's snapshot would otherwise hold one of its load slots until its idle timeout
    new HttpLoadSource("hub", url, "node-x", secret("node-x"))
        .close("node-x", Joining.loadId(node.db()));
  }

  @Test
  void aLoadRequestWithABadSignatureIsRefused() {
    TestNode node = TestNode.start("node-x", TestDatabases.h2("load-http-badsig"));
    Items.create(node.db());
    Loader loader = loader(node, "not-the-secret-node-x-and-hub-share", 50);

    assertThatThrownBy(loader::run)
        .isInstanceOf(LoadException.class)
        .hasMessageContaining("hub answered 401")
        .hasMessageContaining("bad signature");
  }

  private static void joins(TestDatabase db, String id) throws Exception {
    Items.create(db);
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger rounds = new AtomicInteger();
    Thread writer = new Thread(() -> keepWriting(writing, rounds), "writer-" + id);
    writer.start();
    ShipNode node = null;
    try {
      awaitRounds(rounds, 2, WAIT);
      node = ShipNode.start(id, db, clientProperties(id, db, 40));
      awaitLoaded(node, WAIT);
      awaitRounds(rounds, rounds.get() + 3, WAIT);
    } finally {
      writing.set(false);
      writer.join();
    }
    try {
      pusher.node().push(pusherPeer);
      awaitCaughtUp(node, hub, WAIT);

      long snapshot = count(node, "SELECT MAX(snapshot_seq) FROM ds_load");
      long after = Joining.count(hub.db(), "SELECT COUNT(*) FROM ds_delta WHERE seq > " + snapshot);
      assertThat(after).as("writes after the snapshot").isPositive();
      assertThat(count(node, "SELECT COUNT(*) FROM ds_delta"))
          .as("each delta after the snapshot applied once")
          .isEqualTo(after);
      assertEqualToHub(node);
    } finally {
      node.close();
    }
  }

  /** The hub takes relative updates of its items; a client pushes notes over HTTP. */
  private static void keepWriting(AtomicBoolean writing, AtomicInteger rounds) {
    int run = RUNS.incrementAndGet();
    Random random = new Random(run);
    Workload notes = new Workload(50L + run, 2_000_000L * run, false);
    while (writing.get()) {
      try (SqlSession session = hub.writer().sessions().openSession()) {
        Items items = session.getMapper(Items.class);
        for (int i = 0; i < 20; i++) {
          items.take(1 + random.nextInt(ITEMS), 1 + random.nextInt(3));
        }
        session.commit();
      }
      notes.run(pusher, notes.committedStatements() + 20);
      pusher.node().push(pusherPeer);
      rounds.incrementAndGet();
    }
  }

  /** A loader for node-x, its hub reached over HTTP with the given secret. */
  private static Loader loader(TestNode node, String secret, int chunkRows) {
    return new Loader(
        node.db().dataSource(),
        "node-x",
        NameFilter.ALL,
        new HttpLoadSource("hub", url, "node-x", secret),
        chunkRows);
  }

  /**
   * Inserts rows keyed 1 to {@code count} of random bytes into the hub's table (id, data) with
   * plain JDBC, so that they exist only as rows; returns them by key.
   */
  private static Map<Long, byte[]> insertRandomBytes(String table, int count, int bytes)
      throws SQLException {
    Random random = new Random(count);
    Map<Long, byte[]> rows = new TreeMap<>();
    try (Connection connection = hub.db().dataSource().getConnection();
        PreparedStatement insert =
            connection.prepareStatement("INSERT INTO " + table + " (id, data) VALUES (?, ?)")) {
      for (long id = 1; id <= count; id++) {
        byte[] data = new byte[bytes];
        random.nextBytes(data);
        rows.put(id, data);
        insert.setLong(1, id);
        insert.setBytes(2, data);
        insert.addBatch();
      }
      insert.executeBatch();
    }
    return rows;
  }

  private static Map<String, Object> clientProperties(String id, TestDatabase db, int chunkRows) {
    Map<String, Object> properties = ShipNode.baseProperties(id, db);
    properties.put("deltasync.node.upstream", "hub");
    properties.put("deltasync.ship.upstream-url", url);
    properties.put("deltasync.ship.peers.hub.secret", secret(id));
    properties.put("deltasync.capture.exclude-tables", "audit_log");
    properties.put("deltasync.load.chunk-rows", chunkRows);
    properties.put("deltasync.ship.routes", "classpath:deltasync/examples/http-pull.camel.yaml");
    return properties;
  }

  private static void assertEqualToHub(ShipNode node) {
    assertThat(NotesSchema.notes(node.db().dataSource()))
        .containsExactlyElementsOf(NotesSchema.notes(hub.db().dataSource()));
    assertThat(NotesSchema.tickets(node.db().dataSource()))
        .containsExactlyElementsOf(NotesSchema.tickets(hub.db().dataSource()));
    assertThat(Items.dump(node.db())).containsExactlyElementsOf(Items.dump(hub.db()));
    assertThat(count(node, "SELECT COUNT(*) FROM audit_log")).as("not replicated").isZero();
    assertThat(count(node, "SELECT COUNT(*) FROM ds_dead_letter")).isZero();
    assertThat(Joining.count(hub.db(), "SELECT COUNT(*) FROM ds_dead_letter")).isZero();
  }

  private static LoadProgress progress(ShipNode node) {
    return new LoadProgressReader(node.db().dataSource(), node.id()).read("hub").orElseThrow();
  }

  private static long count(ShipNode node, String sql) {
    return Joining.count(node.db(), sql);
  }

  private static String secret(String client) {
    return client + "-and-hub-load-secret";
  }
}
