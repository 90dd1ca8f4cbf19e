package io.deltasync.bench;

import io.deltasync.capture.CaptureSettings;
import io.deltasync.capture.DeltaSyncInterceptor;
import io.deltasync.delta.NameFilter;
import io.deltasync.node.SyncNode;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Table 3: client B comes back to a backlog. The hub and B run as separate processes ({@link
 * ChildNode}, {@code -Xmx256m}, exiting on an {@link OutOfMemoryError}) over HTTP, each on its own
 * PostgreSQL database, with default settings. While B's process is not running, deltas pile up at
 * the hub: rows committed through a capturing MyBatis writer on the hub's database (deltas that the
 * hub originated, which every client pulls), 1,000 to a transaction. Then B starts: the drain time
 * runs from B's application started (its routes polling) until the backlog's last row is visible in
 * B's database; the rate is the backlog divided by it. Each process reports the peak of its heap
 * ({@link HeapWatch}) over its whole life.
 */
final class BacklogTable {

  static final String HEADER =
      "| backlog, deltas | pile-up at hub, deltas/s | B start, s | drain, s | drain, deltas/s |"
          + " hub heap after GC / used, MB | B heap after GC / used, MB | both under 256 MB |\n"
          + "|---:|---:|---:|---:|---:|---:|---:|---|";

  static final String HEAP = "256m";
  private static final long HEAP_LIMIT = 256L * 1024 * 1024;
  private static final int ROWS_PER_TX = 1_000;
  private static final String SECRET = "node-b-and-hub-share-this";
  private static final Duration START = Duration.ofMinutes(3);

  private BacklogTable() {}

  /** One run with a backlog of that many deltas; returns its table row. */
  static String measure(int backlog, Path dir) throws Exception {
    TestDatabase hubDb = NotesSchema.install(TestDatabases.postgres("backlog_hub"));
    TestDatabase bDb = NotesSchema.install(TestDatabases.postgres("backlog_b"));
    int port = Transport.freePort();
    Map<String, Object> hubProperties = Pipeline.properties("hub", hubDb);
    hubProperties.put("server.port", port);
    hubProperties.put("deltasync.ship.peers.node-b.secret", SECRET);
    hubProperties.put(
        "deltasync.ship.routes", "classpath:deltasync/examples/http-serve.camel.yaml");
    Map<String, Object> bProperties = Pipeline.properties("node-b", bDb);
    bProperties.put("deltasync.node.upstream", "hub");
    // a client that was in sync before it went offline drains the deltas it missed; a new, empty
    // node would take an initial load of the hub's tables instead
    bProperties.put("deltasync.load.initial", "false");
    bProperties.put("deltasync.ship.peers.hub.secret", SECRET);
    bProperties.put("deltasync.ship.upstream-url", "http://localhost:" + port);
    bProperties.put(
        "deltasync.ship.routes",
        "classpath:deltasync/examples/http-push.camel.yaml,"
            + "classpath:deltasync/examples/http-pull.camel.yaml");
    long first = Ids.block();
    try (ChildNode hub = ChildNode.start("backlog-hub", HEAP, hubProperties, dir)) {
      hub.awaitReady(START);
      Progress.say("backlog: piling up %,d deltas at the hub", backlog);
      long pileStart = System.nanoTime();
      pileUp(hubDb, first, backlog);
      double pileRate = backlog / ((System.nanoTime() - pileStart) / 1e9);
      Progress.say("backlog: starting B");
      long launched = System.nanoTime();
      try (ChildNode b = ChildNode.start("backlog-b", HEAP, bProperties, dir)) {
        RowWatch arrived =
            RowWatch.start(
                "b",
                bDb.dataSource(),
                first,
                first + backlog - 1,
                RowWatch.SLOW_PERIOD,
                Duration.ofHours(2));
        long ready = b.awaitReady(START);
        long drained = arrived.await();
        Thread.sleep(3 * NodeProcess.SAMPLE_MILLIS); // the last heap samples
        hub.checkAlive();
        b.checkAlive();
        checkRows(bDb, first, backlog);
        double drain = (drained - ready) / 1e9;
        boolean under =
            hub.peakUsedMb() * 1048576 < HEAP_LIMIT && b.peakUsedMb() * 1048576 < HEAP_LIMIT;
        Targets.check(
            "hub and client under 256 MB of heap while draining " + backlog + " deltas",
            under,
            "peak after GC %.0f MB (hub) and %.0f MB (B), ran with -Xmx%s",
            hub.peakAfterGcMb(),
            b.peakAfterGcMb(),
            HEAP);
        return String.format(
            Locale.ROOT,
            "| %,d | %,.0f | %.1f | %.1f | %,.0f | %.0f / %.0f | %.0f / %.0f | %s (-Xmx%s,"
                + " neither process ran out) |",
            backlog,
            pileRate,
            (ready - launched) / 1e9,
            drain,
            backlog / drain,
            hub.peakAfterGcMb(),
            hub.peakUsedMb(),
            b.peakAfterGcMb(),
            b.peakUsedMb(),
            under ? "yes" : "no",
            HEAP);
      }
    } finally {
      hubDb.close();
      bDb.close();
    }
  }

  /** Commits the rows through the hub's capture, {@link #ROWS_PER_TX} to a transaction. */
  private static void pileUp(TestDatabase hubDb, long first, int rows) {
    CaptureSettings capture = CaptureSettings.recordAll("hub");
    TestNode writer =
        new TestNode(
            hubDb,
            TestNode.sessionFactory(
                hubDb.dataSource(), new DeltaSyncInterceptor(capture, List.of())),
            new SyncNode("hub", hubDb.dataSource(), NameFilter.ALL));
    for (int done = 0; done < rows; done += ROWS_PER_TX) {
      Notes.insert(writer, first + done, Math.min(ROWS_PER_TX, rows - done));
    }
  }

  private static void checkRows(TestDatabase db, long first, int rows) {
    long count =
        NotesSchema.count(
            db.dataSource(),
            "SELECT COUNT(*) FROM note WHERE id BETWEEN " + first + " AND " + (first + rows - 1));
    long all = NotesSchema.count(db.dataSource(), "SELECT COUNT(*) FROM note");
    long deltas = NotesSchema.count(db.dataSource(), "SELECT COUNT(*) FROM ds_delta");
    long distinct =
        NotesSchema.count(db.dataSource(), "SELECT COUNT(DISTINCT delta_id) FROM ds_delta");
    if (count != rows || all != rows || deltas != rows || distinct != rows) {
      throw new IllegalStateException(
          String.format(
              "B should hold the %,d rows and deltas of the backlog, but holds %,d of its rows,"
                  + " %,d notes, %,d deltas (%,d distinct)",
              rows, count, all, deltas, distinct));
    }
  }
}
