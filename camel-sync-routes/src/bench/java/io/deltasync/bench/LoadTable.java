package io.deltasync.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.deltasync.node.H2Durability;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.NotesSchema;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Table 5: a new node's initial load. The hub (PostgreSQL) holds {@code rows} note rows (eight
 * columns: key, texts, a flag, a decimal, a timestamp, a date, bytes) written before any node
 * joined, so they exist only as rows, not as deltas. A new client, H2 (a file database) or
 * PostgreSQL, starts empty with default settings and loads them over HTTP; hub and client run as
 * separate processes ({@link ChildNode}, {@code -Xmx256m}). A new node joins a hub in service, so
 * each load starts once the hub's process is idle ({@link ChildNode#awaitIdle}): not while the JIT
 * still compiles what became hot as the hub started, which took a third of a core for the first
 * twenty seconds of a load. The second half's rate (rows arrive in key order) shows the load once
 * both processes warmed up: a new client's JIT compiles for the first half minute of its life. The
 * load time runs from the client's application started until the last row is visible in its
 * database (chunks apply in key order). The yardsticks, in the same run: the same rows copied with
 * plain JDBC from the hub's database into an empty database of the client's kind ({@link
 * PlainCopy}), in the benchmark's own JVM and in a new JVM with the client's heap, whose JIT
 * compiles while it copies, as the client's does.
 */
final class LoadTable {

  static final String HEADER =
      "| client | rows | load, s | load, rows/s | plain copy in the benchmark's JVM, rows/s |"
          + " load ÷ that copy | plain copy in a new JVM, rows/s | load ÷ that copy |"
          + " second half, rows/s (÷ copy in the benchmark's JVM) |"
          + " hub heap after GC / used, MB | client heap after GC / used, MB |\n"
          + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

  private static final int COPY_BATCH = 1_000;
  private static final String SECRET = "new-node-and-hub-share-this";
  private static final Duration START = Duration.ofMinutes(3);
  private static final long HEAP_LIMIT = 256L * 1024 * 1024;

  /** One load into a new client and its two yardsticks, copies of the same rows. */
  private record Round(
      double seconds,
      double rate,
      double plain,
      double plainNew,
      double secondHalf,
      double hubAfterGcMb,
      double hubUsedMb,
      double clientAfterGcMb,
      double clientUsedMb) {}

  private LoadTable() {}

  /**
   * Loads {@code rows} into new H2 and PostgreSQL clients, {@code rounds} times each (a new client
   * and new copies each round); returns the table's rows: medians, with their spread.
   */
  static List<String> measure(int rows, List<String> clientKinds, int rounds, Path dir)
      throws Exception {
    TestDatabase hubDb = NotesSchema.install(TestDatabases.postgres("load_hub"));
    long first = Ids.block();
    Progress.say("load: writing %,d rows at the hub", rows);
    seed(hubDb, first, rows);
    hubDb.execute("VACUUM ANALYZE note");
    int port = Transport.freePort();
    Map<String, Object> hubProperties = Pipeline.properties("hub", hubDb);
    hubProperties.put("server.port", port);
    List<String> lines = new ArrayList<>();
    for (String kind : clientKinds) {
      for (int round = 1; round <= rounds; round++) {
        hubProperties.put("deltasync.ship.peers." + clientId(kind, round) + ".secret", SECRET);
      }
    }
    hubProperties.put(
        "deltasync.ship.routes", "classpath:deltasync/examples/http-serve.camel.yaml");
    try (ChildNode hub = ChildNode.start("load-hub", BacklogTable.HEAP, hubProperties, dir)) {
      hub.awaitReady(START);
      for (String kind : clientKinds) {
        List<Round> done = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
          done.add(load(hub, hubDb, port, kind, round, first, rows, dir));
        }
        lines.add(summary(kind, rows, done));
      }
    } finally {
      hubDb.close();
    }
    return lines;
  }

  /** The kind's row of the table, and its targets: medians of the rounds. */
  private static String summary(String kind, int rows, List<Round> rounds) {
    double rate = Stats.median(values(rounds, Round::rate));
    double plain = Stats.median(values(rounds, Round::plain));
    double plainNew = Stats.median(values(rounds, Round::plainNew));
    double secondHalf = Stats.median(values(rounds, Round::secondHalf));
    double hubAfterGc = Stats.max(values(rounds, Round::hubAfterGcMb));
    double clientAfterGc = Stats.max(values(rounds, Round::clientAfterGcMb));
    double hubUsed = Stats.max(values(rounds, Round::hubUsedMb));
    double clientUsed = Stats.max(values(rounds, Round::clientUsedMb));
    Targets.check(
        "initial load ≥ 40% of a plain JDBC copy in the benchmark's JVM (" + kind + " client)",
        rate >= 0.4 * plain,
        "%.0f%% (medians: %,.0f against %,.0f rows/s)",
        100 * rate / plain,
        rate,
        plain);
    Targets.check(
        "initial load ≥ 40% of a plain JDBC copy in a new JVM (" + kind + " client)",
        rate >= 0.4 * plainNew,
        "%.0f%% (medians: %,.0f against %,.0f rows/s)",
        100 * rate / plainNew,
        rate,
        plainNew);
    Targets.check(
        "hub and client under 256 MB of heap while loading " + rows + " rows (" + kind + ")",
        hubUsed * 1048576 < HEAP_LIMIT && clientUsed * 1048576 < HEAP_LIMIT,
        "peak after GC %.0f MB (hub) and %.0f MB (client), ran with -Xmx%s",
        hubAfterGc,
        clientAfterGc,
        BacklogTable.HEAP);
    return String.format(
        Locale.ROOT,
        "| %s | %,d | %s | %s | %s | %.2f | %s | %.2f | %s (%.2f) | %.0f / %.0f | %.0f / %.0f |",
        kind.equals("h2") ? "H2 (file)" : "PostgreSQL",
        rows,
        Stats.spread(values(rounds, Round::seconds), 1),
        Stats.spread(values(rounds, Round::rate), 0),
        Stats.spread(values(rounds, Round::plain), 0),
        rate / plain,
        Stats.spread(values(rounds, Round::plainNew), 0),
        rate / plainNew,
        Stats.spread(values(rounds, Round::secondHalf), 0),
        secondHalf / plain,
        hubAfterGc,
        hubUsed,
        clientAfterGc,
        clientUsed);
  }

  private static double[] values(List<Round> rounds, ToDoubleFunction<Round> value) {
    return rounds.stream().mapToDouble(value).toArray();
  }

  /** One round: the two copies, then the load into a new client of the kind. */
  private static Round load(
      ChildNode hub,
      TestDatabase hubDb,
      int port,
      String kind,
      int round,
      long first,
      int rows,
      Path dir)
      throws Exception {
    String id = clientId(kind, round);
    TestDatabase clientDb = NotesSchema.install(database(kind, "load_" + kind + round, dir));
    TestDatabase copyDb = NotesSchema.install(database(kind, "copy_" + kind + round, dir));
    TestDatabase newJvmCopyDb = NotesSchema.install(database(kind, "copynew_" + kind + round, dir));
    try {
      double plain = PlainCopy.inThisJvm(hubDb, copyDb, rows);
      if (kind.equals("h2")) {
        newJvmCopyDb.close(); // the new JVM opens its file in process, as the client does
      }
      double plainNew = PlainCopy.inNewJvm(hubDb, newJvmCopyDb, rows, BacklogTable.HEAP, dir);
      Map<String, Object> properties = Pipeline.properties(id, clientDb);
      properties.put("deltasync.node.upstream", "hub");
      properties.put("deltasync.ship.peers.hub.secret", SECRET);
      if (System.getProperty("bench.chunk.rows") != null) {
        properties.put("deltasync.load.chunk-rows", System.getProperty("bench.chunk.rows"));
      }
      properties.put("deltasync.ship.upstream-url", "http://localhost:" + port);
      properties.put(
          "deltasync.ship.routes",
          "classpath:deltasync/examples/http-push.camel.yaml,"
              + "classpath:deltasync/examples/http-pull.camel.yaml");
      double settled = hub.awaitIdle(START);
      Progress.say(
          "load: round %d, a new %s client loads %,d rows (the hub idle after %.0f s)",
          round, kind, rows, settled);
      if (kind.equals("h2")) {
        // a node opens its H2 file in its own process: let the client's process open it first,
        // so that it writes in process and this one reads over H2's automatic server
        clientDb.close();
      }
      TestDatabase watched = null;
      try (ChildNode client = ChildNode.start("load-" + kind, BacklogTable.HEAP, properties, dir)) {
        long ready = client.awaitReady(START);
        watched = kind.equals("h2") ? reopen(clientDb) : clientDb;
        long middle = first + rows / 2 - 1;
        RowWatch halfway =
            RowWatch.start(
                id + "-half",
                watched.dataSource(),
                middle,
                middle,
                RowWatch.SLOW_PERIOD,
                Duration.ofHours(3));
        RowWatch arrived =
            RowWatch.start(
                id,
                watched.dataSource(),
                first + rows - 1,
                first + rows - 1,
                RowWatch.SLOW_PERIOD,
                Duration.ofHours(3));
        long loaded = arrived.await();
        long half = halfway.await();
        Thread.sleep(3 * NodeProcess.SAMPLE_MILLIS); // the last heap samples
        hub.checkAlive();
        client.checkAlive();
        long held = NotesSchema.count(watched.dataSource(), "SELECT COUNT(*) FROM note");
        if (held != rows) {
          throw new IllegalStateException(
              id + " holds " + held + " notes after its load, not the hub's " + rows);
        }
        double seconds = (loaded - ready) / 1e9;
        double rate = rows / seconds;
        // rows arrive in key order: the second half runs once both processes warmed up
        double secondHalf = (rows - rows / 2) / Math.max(1e-3, (loaded - half) / 1e9);
        return new Round(
            seconds,
            rate,
            plain,
            plainNew,
            secondHalf,
            hub.peakAfterGcMb(),
            hub.peakUsedMb(),
            client.peakAfterGcMb(),
            client.peakUsedMb());
      } finally {
        if (watched != null && watched != clientDb) {
          watched.close();
        }
      }
    } finally {
      clientDb.close();
      copyDb.close();
      newJvmCopyDb.close();
    }
  }

  /** A new pool on the same H2 file: this process then reaches it through the owner's server. */
  private static TestDatabase reopen(TestDatabase db) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(db.jdbcUrl());
    config.setUsername(db.user());
    config.setPassword(db.password());
    config.setMaximumPoolSize(2); // the two watches
    return new TestDatabase(
        "h2", db.jdbcUrl(), db.user(), db.password(), new HikariDataSource(config));
  }

  private static String clientId(String kind, int round) {
    return "new-" + kind + "-" + round;
  }

  /**
   * A new database of the kind: PostgreSQL on the embedded server; H2 as a file database that the
   * client's process and this one both open (H2's automatic mixed mode: the first to open it holds
   * it in process, the other reaches it through that one's server), with the settings a node needs
   * to keep its commits through a kill. The plain copy writes its H2 file in process, and so does
   * the client (it opens its file before this process watches it).
   */
  private static TestDatabase database(String kind, String name, Path dir) {
    if (!kind.equals("h2")) {
      return TestDatabases.postgres(name);
    }
    String url =
        "jdbc:h2:file:"
            + dir.toAbsolutePath().resolve(name + "-" + System.nanoTime())
            + ";AUTO_SERVER=TRUE"
            + H2Durability.URL_SETTINGS;
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername("sa");
    config.setPassword("");
    config.setMaximumPoolSize(2);
    return new TestDatabase("h2", url, "sa", "", new HikariDataSource(config));
  }

  /** Writes the hub's rows with plain JDBC: they exist before any node joins, as no deltas. */
  private static void seed(TestDatabase hubDb, long first, int rows) throws SQLException {
    try (Connection connection = hubDb.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO note (id, title, body, done, amount, created_at, due_day, data)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        long now = System.currentTimeMillis();
        for (int i = 0; i < rows; i++) {
          long id = first + i;
          insert.setLong(1, id);
          insert.setString(2, Notes.TITLE + " " + id);
          insert.setString(3, i % 3 == 0 ? null : "body of note " + id);
          insert.setBoolean(4, i % 2 == 0);
          insert.setBigDecimal(5, BigDecimal.valueOf(i % 100_000, 2));
          insert.setTimestamp(6, new Timestamp(now - i * 1_000L));
          insert.setDate(7, new Date(now - (i % 1_000) * 86_400_000L));
          if (i % 4 == 0) {
            insert.setBytes(8, new byte[] {(byte) i, (byte) (i >> 8), 42});
          } else {
            insert.setNull(8, Types.VARBINARY);
          }
          insert.addBatch();
          if ((i + 1) % COPY_BATCH == 0 || i == rows - 1) {
            insert.executeBatch();
            connection.commit();
          }
        }
      }
    }
  }
}
