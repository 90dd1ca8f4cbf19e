package io.deltasync.bench;

import io.deltasync.delta.NameFilter;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.NotesSchema;
import io.deltasync.verify.HubVerifier;
import io.deltasync.verify.KeyRange;
import io.deltasync.verify.RepairReport;
import io.deltasync.verify.Verifier;
import io.deltasync.verify.VerifyReport;
import io.deltasync.verify.internal.RangeReads;
import io.deltasync.verify.internal.TableShape;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.sql.DataSource;

/**
 * What verify and repair cost: a {@code note} table of a million rows on the embedded PostgreSQL
 * (the hub) and the same rows on in-memory H2 (the node); times the node's checksums, the hub's
 * checksums by the node's bounds, a verify of equal tables, and finding and repairing 10 scattered
 * differences (4 changed, 3 deleted, 3 extra rows, written with plain JDBC on the node). Prints
 * seconds and rows per second; the load (not timed) is batched JDBC.
 *
 * <p>Run with {@code ./run-benchmark.sh}. Arguments: rows (default 1000000), rows per range
 * (default 1000).
 */
public final class VerifyBenchmark {

  private VerifyBenchmark() {}

  public static void main(String[] args) throws SQLException {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int chunk = args.length > 1 ? Integer.parseInt(args[1]) : Verifier.DEFAULT_CHUNK_ROWS;
    TestDatabase hub = NotesSchema.install(TestDatabases.postgres("bench_verify_hub"));
    TestDatabase node = NotesSchema.install(TestDatabases.h2("bench-verify-node"));
    load(hub.dataSource(), rows);
    load(node.dataSource(), rows);
    hub.execute("ANALYZE note");
    HubVerifier hubSide = new HubVerifier(hub.dataSource(), "hub", NameFilter.ALL);
    Verifier verifier =
        new Verifier(node.dataSource(), "node-a", NameFilter.ALL, hubSide, hubSeq -> {}, chunk);

    long start = System.nanoTime();
    List<KeyRange> ranges;
    try (Connection connection = node.dataSource().getConnection()) {
      TableShape shape = TableShape.of(connection, "note", NameFilter.ALL);
      ranges = RangeReads.chunks(connection, shape, chunk);
    }
    print("checksum on the node (H2), " + ranges.size() + " ranges", rows, start);
    start = System.nanoTime();
    hubSide.checksums("node-a", "note", ranges);
    print("checksum on the hub (PostgreSQL) by the node's bounds", rows, start);
    start = System.nanoTime();
    VerifyReport equal = verifier.verify("note");
    print("verify equal tables (both sides), in sync: " + equal.inSync(), rows, start);

    scatterDifferences(node, rows);
    start = System.nanoTime();
    VerifyReport report = verifier.verify("note");
    print(
        "verify with 10 scattered differences, found "
            + report.rows().size()
            + " rows in "
            + report.differingRanges().size()
            + " ranges",
        rows,
        start);
    start = System.nanoTime();
    RepairReport repair = verifier.repair(report);
    print(
        "repair of "
            + report.differingRanges().size()
            + " ranges: "
            + repair.written()
            + " written, "
            + repair.deleted()
            + " deleted (rows/s: of the ranges' rows)",
        report.differingRanges().size() * (long) chunk,
        start);
    System.out.println("in sync after repair: " + verifier.verify("note").inSync());
  }

  private static void scatterDifferences(TestDatabase node, int rows) {
    Random random = new Random(42);
    for (int i = 0; i < 4; i++) {
      node.execute("UPDATE note SET title = 'changed' WHERE id = " + (1 + random.nextInt(rows)));
    }
    for (int i = 0; i < 3; i++) {
      node.execute("DELETE FROM note WHERE id = " + (1 + random.nextInt(rows)));
    }
    for (int i = 0; i < 3; i++) {
      node.execute(
          "INSERT INTO note (id, title, done, amount) VALUES ("
              + (rows + 10 + i * (rows / 3))
              + ", 'extra', FALSE, 1)");
    }
  }

  private static void load(DataSource dataSource, int rows) throws SQLException {
    long start = System.nanoTime();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO note (id, title, body, done, amount, created_at, due_day)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      connection.setAutoCommit(false);
      LocalDateTime base = LocalDateTime.of(2026, 1, 1, 12, 0);
      for (int id = 1; id <= rows; id++) {
        insert.setLong(1, id);
        insert.setString(2, "note " + id);
        insert.setString(3, id % 3 == 0 ? null : "body of note " + id);
        insert.setBoolean(4, id % 2 == 0);
        insert.setBigDecimal(5, BigDecimal.valueOf(id % 100_000, 2));
        insert.setTimestamp(6, Timestamp.valueOf(base.plusSeconds(id)));
        insert.setObject(7, base.toLocalDate().plusDays(id % 365));
        insert.addBatch();
        if (id % 5_000 == 0) {
          insert.executeBatch();
          connection.commit();
        }
      }
      insert.executeBatch();
      connection.commit();
    }
    print("load (not part of verify)", rows, start);
  }

  private static void print(String what, long rows, long start) {
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "%-75s %8.2f s %,12.0f rows/s%n", what, seconds, rows / seconds);
  }
}
