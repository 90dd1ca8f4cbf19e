package io.deltasync.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.ship.support.ShipNode;
import io.deltasync.testing.NotesSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;

/**
 * Table 4: 1, 10 and 50 clients pushing at once to one PostgreSQL hub over HTTP. The hub is the
 * Spring Boot application with the shipped {@code http-serve} routes and default settings (so it
 * detects conflicts); each client is a {@link FanInClient} with its own H2 database, identity and
 * secret, on its own thread.
 *
 * <p>A round: each client commits its share of rows (untimed), then all start pushing at one
 * signal; the rate is every delta divided by the time from the signal until the last
 * acknowledgement, and the batch latency is each POST's round trip. Meanwhile a {@link HubSampler}
 * watches what the hub waits on.
 */
final class FanInTable {

  static final String HEADER =
      "| clients | deltas per client | hub applied, deltas/s | vs 1 client | POST p50 ms |"
          + " POST p99 ms | hub sessions running | hub sessions idle in transaction |"
          + " hub sessions waiting for a lock |"
          + " hub threads waiting for a connection | machine CPU busy |\n"
          + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

  /** Deltas per POST: smaller than the default 500, so that each client sends several. */
  static final int BATCH_SIZE = 100;

  private static final int WARM_UP_ROWS = 50;

  private FanInTable() {}

  /** Measures each number of clients; returns one table row per number. */
  static List<String> measure(int[] clientCounts, int deltasPerClient, int rounds, Path dir)
      throws Exception {
    int most = java.util.Arrays.stream(clientCounts).max().orElseThrow();
    TestDatabase hubDb = TestDatabases.postgres("fanin_hub");
    Map<String, Object> properties = Pipeline.properties("hub", hubDb);
    for (int i = 1; i <= most; i++) {
      properties.put("deltasync.ship.peers." + clientId(i) + ".secret", secret(i));
    }
    int port = Transport.freePort();
    properties.put("server.port", port);
    properties.put("deltasync.ship.routes", "classpath:deltasync/examples/http-serve.camel.yaml");
    List<String> rows = new ArrayList<>();
    try (ShipNode hub = ShipNode.start("hub", hubDb, properties)) {
      List<FanInClient> clients = clients(most, "http://localhost:" + port, dir);
      long notes = warmUp(clients, hub);
      double oneClient = 0;
      for (int count : clientCounts) {
        double[] rates = new double[rounds];
        double[] p50 = new double[rounds];
        double[] p99 = new double[rounds];
        double[][] waits = new double[5][rounds];
        for (int r = 0; r < rounds; r++) {
          List<FanInClient> pushing = clients.subList(0, count);
          List<Double> roundTrips = new ArrayList<>();
          long[] firstIds = new long[count];
          Progress.say("fan-in: %d clients, round %d: writing", count, r + 1);
          for (int c = 0; c < count; c++) {
            firstIds[c] = Ids.block();
            pushing.get(c).write(firstIds[c], deltasPerClient);
          }
          DataSource hubPool = hub.app().getBean(DataSource.class);
          long nanos;
          try (HubSampler sampler =
              new HubSampler(hubDb.dataSource(), hubPool.unwrap(HikariDataSource.class))) {
            Progress.say("fan-in: %d clients, round %d: pushing", count, r + 1);
            nanos = pushAtOnce(pushing, roundTrips);
            sampler.close();
            waits[0][r] = sampler.running();
            waits[1][r] = sampler.waitingForLock();
            waits[2][r] = sampler.waitingForConnection();
            waits[3][r] = sampler.cpuPercent();
            waits[4][r] = sampler.inTransaction();
          }
          notes += (long) count * deltasPerClient;
          for (long first : firstIds) {
            check(hub, first, deltasPerClient, notes);
          }
          rates[r] = count * deltasPerClient / (nanos / 1e9);
          double[] trips = Stats.of(roundTrips);
          p50[r] = Stats.percentile(trips, 0.50);
          p99[r] = Stats.percentile(trips, 0.99);
        }
        if (count == clientCounts[0]) {
          oneClient = Stats.median(rates);
        }
        String row =
            String.format(
                Locale.ROOT,
                "| %d | %,d | %s | %.2f | %s | %s | %.2f | %.2f | %.2f | %.1f | %.0f %% |",
                count,
                deltasPerClient,
                Stats.spread(rates, 0),
                Stats.median(rates) / oneClient,
                Stats.spread(p50, 0),
                Stats.spread(p99, 0),
                Stats.median(waits[0]),
                Stats.median(waits[4]),
                Stats.median(waits[1]),
                Stats.median(waits[2]),
                Stats.median(waits[3]));
        System.out.println(row);
        rows.add(row);
      }
    }
    return rows;
  }

  /** Each client pushes a few deltas, untimed, so that the JIT has compiled the hub's paths. */
  private static long warmUp(List<FanInClient> clients, ShipNode hub) throws Exception {
    Progress.say("fan-in: warming up");
    for (FanInClient client : clients) {
      client.write(Ids.block(), WARM_UP_ROWS);
    }
    pushAtOnce(clients, new ArrayList<>());
    long notes = (long) clients.size() * WARM_UP_ROWS;
    if (NotesSchema.count(hub.db().dataSource(), "SELECT COUNT(*) FROM note") != notes) {
      throw new IllegalStateException("the hub should hold " + notes + " notes after warming up");
    }
    return notes;
  }

  private static List<FanInClient> clients(int count, String hubUrl, Path dir) {
    TestDatabase template = NotesSchema.install(TestDatabases.h2("fanin_template"));
    Path script = dir.resolve("fanin-template.sql").toAbsolutePath();
    template.execute("SCRIPT TO '" + script + "'");
    List<FanInClient> clients = new ArrayList<>();
    Progress.say("fan-in: creating %d clients", count);
    for (int i = 1; i <= count; i++) {
      clients.add(FanInClient.start(clientId(i), script, hubUrl, secret(i)));
    }
    return clients;
  }

  /** Starts every client's push at one signal; returns the nanoseconds until the last finished. */
  private static long pushAtOnce(List<FanInClient> clients, List<Double> roundTrips)
      throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(clients.size());
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<CompletableFuture<List<Double>>> pushes = new ArrayList<>();
      for (FanInClient client : clients) {
        pushes.add(
            CompletableFuture.supplyAsync(
                () -> {
                  await(go);
                  return client.pushAll(BATCH_SIZE);
                },
                threads));
      }
      long start = System.nanoTime();
      go.countDown();
      for (CompletableFuture<List<Double>> push : pushes) {
        roundTrips.addAll(push.get());
      }
      return System.nanoTime() - start;
    } finally {
      threads.shutdownNow();
    }
  }

  private static void check(ShipNode hub, long first, int rows, long total) {
    Notes.check(hub, first, rows, total);
    if (hub.duplicateDeltas() != 0) {
      throw new IllegalStateException("the hub stored a delta twice");
    }
  }

  private static void await(CountDownLatch go) {
    try {
      go.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String clientId(int i) {
    return "client-" + i;
  }

  private static String secret(int i) {
    return "client-" + i + "-and-hub-share-this";
  }
}
