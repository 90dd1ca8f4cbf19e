package io.deltasync.ship.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.ship.support.Eventually;
import io.deltasync.ship.support.HttpPeer;
import io.deltasync.ship.support.ShipNode;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ibatis.session.SqlSession;
import org.junit.jupiter.api.Test;

/**
 * A hub on PostgreSQL holding 50,000 rows over five tables of varied types and keys, while two
 * clients that hold the same rows keep inserting, updating and deleting through MyBatis and sync
 * with it over HTTP; a new H2 node and a new MariaDB node join through the shipped {@code
 * http-pull} route, loading the hub's snapshot over real HTTP while the writes go on. At the end
 * all five databases are equal in every column, every node holds each delta id once, each joiner
 * holds exactly the hub's deltas after its snapshot, and no node has a dead letter.
 */
class JoinBusyHubIT {

  private static final int PER_TABLE = 10_000;
  private static final long SEED = 77L;
  private static final Duration WAIT = Duration.ofMinutes(4);

  private ShipNode hub;
  private String url;

  @Test
  void newH2AndMariaDbNodesJoiningWhileTwoClientsWriteEndEqualWithEachDeltaOnce() throws Exception {
    TestDatabase hubDb = TestDatabases.postgres("join_busy_hub");
    LoadTables.create(hubDb);
    LoadTables.seed(hubDb, PER_TABLE, SEED);
    Map<String, Object> hubProperties = ShipNode.baseProperties("hub", hubDb);
    for (String peer : new String[] {"node-a", "node-b", "node-h", "node-m"}) {
      hubProperties.put("deltasync.ship.peers." + peer + ".secret", secret(peer));
    }
    hubProperties.put("spring.datasource.hikari.maximum-pool-size", "8");
    hubProperties.put(
        "deltasync.ship.routes", "classpath:deltasync/examples/http-serve.camel.yaml");
    hub = ShipNode.start("hub", hubDb, hubProperties);
    url = "http://localhost:" + hub.port();
    List<Client> clients = List.of(client("node-a", 1), client("node-b", 2));

    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger rounds = new AtomicInteger();
    List<Thread> writers = new ArrayList<>();
    for (Client client : clients) {
      Thread thread = new Thread(() -> keepWriting(client, writing, rounds), "writer-" + client.id);
      writers.add(thread);
      thread.start();
    }
    ShipNode h2 = null;
    ShipNode maria = null;
    long started = System.nanoTime();
    try {
      awaitRounds(rounds, 4);
      TestDatabase h2Db = TestDatabases.h2("join-busy-h");
      LoadTables.create(h2Db);
      TestDatabase mariaDb = TestDatabases.mariadb("join_busy_m");
      LoadTables.create(mariaDb);
      h2 = ShipNode.start("node-h", h2Db, joinerProperties("node-h", h2Db));
      maria = ShipNode.start("node-m", mariaDb, joinerProperties("node-m", mariaDb));
      awaitLoaded(h2);
      awaitLoaded(maria);
      awaitRounds(rounds, rounds.get() + 4);
    } finally {
      writing.set(false);
      for (Thread thread : writers) {
        thread.join();
      }
    }
    try {
      for (Client client : clients) {
        client.node.node().push(client.peer);
      }
      for (Client client : clients) {
        client.node.node().pull(client.peer);
      }
      awaitCaughtUp(h2);
      awaitCaughtUp(maria);
      System.out.printf(
          "JoinBusyHubIT: %d write rounds; both joiners loaded and caught up in %d ms%n",
          rounds.get(), (System.nanoTime() - started) / 1_000_000);

      List<String> expected = LoadTables.dump(hubDb);
      assertThat(expected).as("the hub's rows").hasSizeGreaterThan(4 * PER_TABLE);
      for (Client client : clients) {
        assertThat(LoadTables.dump(client.node.db())).as(client.id).isEqualTo(expected);
        assertOnce(client.id, client.node.db());
      }
      for (ShipNode joiner : List.of(h2, maria)) {
        assertThat(LoadTables.dump(joiner.db())).as(joiner.id()).isEqualTo(expected);
        assertOnce(joiner.id(), joiner.db());
        long snapshot = count(joiner.db(), "SELECT MAX(snapshot_seq) FROM ds_load");
        long after = count(hubDb, "SELECT COUNT(*) FROM ds_delta WHERE seq > " + snapshot);
        assertThat(after).as("writes after %s's snapshot", joiner.id()).isPositive();
        assertThat(count(joiner.db(), "SELECT COUNT(*) FROM ds_delta"))
            .as("%s applied each delta after its snapshot once", joiner.id())
            .isEqualTo(after);
      }
      assertOnce("hub", hubDb);
    } finally {
      if (h2 != null) {
        h2.close();
      }
      if (maria != null) {
        maria.close();
      }
      hub.close();
    }
  }

  /** A client that holds the hub's rows already and syncs with it over HTTP. */
  private record Client(String id, int number, TestNode node, HttpPeer peer) {}

  private Client client(String id, int number) {
    TestDatabase db = TestDatabases.h2("join-busy-" + id);
    TestNode node = TestNode.start(id, db).withUpstream("hub");
    LoadTables.create(db);
    LoadTables.seed(db, PER_TABLE, SEED);
    node.sessions().getConfiguration().addMapper(LoadTables.class);
    return new Client(id, number, node, new HttpPeer("hub", url, id, secret(id)));
  }

  /** Rounds of inserts, updates and deletes on every table, each round pushed and pulled. */
  private static void keepWriting(Client client, AtomicBoolean writing, AtomicInteger rounds) {
    Random random = new Random(client.number);
    long nextId = client.number * 10_000_000L;
    while (writing.get()) {
      try (SqlSession session = client.node.sessions().openSession()) {
        LoadTables tables = session.getMapper(LoadTables.class);
        for (int i = 0; i < 10; i++) {
          long id = ++nextId;
          tables.insertItem(id, "new-" + id, random.nextInt(100), BigDecimal.valueOf(id % 997, 2));
          tables.addQty(1 + random.nextInt(PER_TABLE), 1 + random.nextInt(5));
          tables.deleteItem(1 + random.nextInt(PER_TABLE));
          tables.updateTyped(
              1 + random.nextInt(PER_TABLE),
              random.nextBoolean() ? UUID.randomUUID() : null,
              (short) random.nextInt(30_000),
              random.nextInt(10_000) / 8f,
              random.nextDouble(),
              random.nextBoolean() ? LocalTime.of(random.nextInt(24), 30, 15) : null);
          tables.relabel(LoadTables.code(1 + random.nextInt(PER_TABLE)), "by " + client.id);
          tables.insertCode(LoadTables.code(id), "new on " + client.id);
          int a = random.nextInt(100);
          int b = random.nextInt(100);
          tables.deletePair(a, b);
          tables.insertPair(1_000 * client.number + (int) (id % 1_000), (int) (id / 1_000), "x");
          tables.updateStamp(
              1 + random.nextInt(PER_TABLE),
              LocalDateTime.of(2026, 6, 1, 12, 0).plusSeconds(random.nextInt(1_000_000)),
              BigDecimal.valueOf(random.nextInt(1_000_000), 3),
              random.nextBoolean() ? null : "set by " + client.id);
        }
        session.commit();
      }
      client.node.node().sync(client.peer);
      rounds.incrementAndGet();
    }
  }

  private Map<String, Object> joinerProperties(String id, TestDatabase db) {
    Map<String, Object> properties = ShipNode.baseProperties(id, db);
    properties.put("deltasync.node.upstream", "hub");
    properties.put("deltasync.ship.upstream-url", url);
    properties.put("deltasync.ship.peers.hub.secret", secret(id));
    properties.put("deltasync.ship.routes", "classpath:deltasync/examples/http-pull.camel.yaml");
    return properties;
  }

  private static void awaitLoaded(ShipNode node) {
    Eventually.waitFor(
        WAIT,
        () ->
            count(node.db(), "SELECT COUNT(*) FROM ds_load") > 0
                && count(node.db(), "SELECT COUNT(*) FROM ds_load WHERE state <> 'DONE'") == 0,
        () ->
            node.id()
                + " has loaded "
                + count(node.db(), "SELECT COALESCE(SUM(rows_loaded), 0) FROM ds_load")
                + " rows");
  }

  private void awaitCaughtUp(ShipNode node) {
    long hubSeq = count(hub.db(), "SELECT MAX(seq) FROM ds_delta");
    Eventually.waitFor(
        WAIT,
        () -> node.pointers("hub").lastProcessed() >= hubSeq,
        () -> node.id() + " is at " + node.pointers("hub").lastProcessed() + " of " + hubSeq);
  }

  /** Each delta id once, and no dead letter. */
  private static void assertOnce(String id, TestDatabase db) {
    assertThat(count(db, "SELECT COUNT(*) - COUNT(DISTINCT delta_id) FROM ds_delta"))
        .as("%s holds a delta id twice", id)
        .isZero();
    assertThat(count(db, "SELECT COUNT(*) FROM ds_dead_letter")).as("%s dead letters", id).isZero();
  }

  private static void awaitRounds(AtomicInteger rounds, int atLeast) {
    Eventually.waitFor(WAIT, () -> rounds.get() >= atLeast, () -> rounds.get() + " rounds");
  }

  private static long count(TestDatabase db, String sql) {
    return NotesSchema.count(db.dataSource(), sql);
  }

  private static String secret(String peer) {
    return peer + "-and-hub-busy-secret";
  }
}
