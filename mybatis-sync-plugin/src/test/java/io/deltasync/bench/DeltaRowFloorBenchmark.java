package io.deltasync.bench;

import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaCodec;
import io.deltasync.delta.DeltaIds;
import io.deltasync.delta.Kind;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.delta.RowKey;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.store.internal.CommittingInsert;
import io.deltasync.store.internal.DeltaRows;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How far DeltaSync's delta insert is from the least any row-logging capture pays: a one-insert
 * transaction in plain JDBC, three ways, alternating in rounds on one connection of each database
 * (H2 in memory, PostgreSQL, MariaDB):
 *
 * <ul>
 *   <li><b>plain</b>: the insert and the commit;
 *   <li><b>a bare delta row</b>: the same, plus one {@code ds_delta} row of the same values as
 *       DeltaSync's, without the seq lock or the basis read: on PostgreSQL in the commit's round
 *       trip (one statement with the {@code COMMIT}), elsewhere a statement of its own, since
 *       neither H2 nor MariaDB's driver sends two statements in one call by default;
 *   <li><b>DeltaSync's insert</b>: the same, with the delta written as the plugin writes a client's
 *       (the seq lock, the basis read from the node's pointer; on PostgreSQL with the {@code
 *       COMMIT}, through {@link CommittingInsert}).
 * </ul>
 *
 * <p>No MyBatis and no capture: the difference between the last two is what DeltaSync's ordering
 * guarantee costs the database, and the bare row is the floor of a design that writes one row per
 * change in the changing transaction. What the capture benchmark measures beyond that is the Java
 * work of capturing. Arguments: {@code quick} (5 rounds), {@code full} (15) or a number of rounds
 * (at least 5); then, optionally, the databases.
 */
public final class DeltaRowFloorBenchmark {

  private static final String ITEM =
      "INSERT INTO item (id, name, qty, price, updated) VALUES (?, ?, ?, ?, ?)";

  private static final String COLUMNS =
      "INSERT INTO ds_delta (delta_id, origin, received_from, source_seq, tx_id, captured_at,"
          + " basis, statement_id, kind, table_name, row_key, sql_text, params, stored_at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private enum Variant {
    PLAIN("plain"),
    ROW("a bare delta row"),
    DELTASYNC("DeltaSync's insert");

    final String label;

    Variant(String label) {
      this.label = label;
    }
  }

  private DeltaRowFloorBenchmark() {}

  public static void main(String[] args) throws Exception {
    // at least 5: the quick mode's 3 rounds leave too wide a spread for differences of a few µs
    int rounds = Math.max(5, Rounds.of(args.length > 0 ? args[0] : "quick"));
    List<String> rows = new ArrayList<>();
    for (String kind : (args.length > 1 ? args[1] : "h2,postgresql,mariadb").split(",")) {
      rows.add(benchmark(kind, rounds));
    }
    System.out.printf(
        "%nOne-insert transactions in plain JDBC, µs per transaction, medians of %d rounds"
            + " (min–max); ratio = median ÷ median plain:%n%n",
        rounds);
    System.out.println(
        "| database | plain | + a bare delta row | ratio | + DeltaSync's delta insert | ratio |"
            + " DeltaSync's insert above the bare row |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|");
    rows.forEach(System.out::println);
    System.exit(0);
  }

  private static String benchmark(String kind, int rounds) throws Exception {
    TestDatabase db =
        switch (kind) {
          case "h2" -> TestDatabases.h2("floor");
          case "postgresql" -> TestDatabases.postgres("floor");
          case "mariadb" -> TestDatabases.mariadb("floor");
          default -> throw new IllegalArgumentException("unknown database " + kind);
        };
    db.migrate();
    db.execute(
        "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(100), qty INT,"
            + " price DECIMAL(10,2), updated TIMESTAMP)",
        "INSERT INTO ds_node_pointer (node_id, peer_id, last_pushed, last_processed, updated_at)"
            + " VALUES ('bench', 'hub', 0, 4242, CURRENT_TIMESTAMP)");
    // in-memory H2 is so fast that a run needs more transactions to be measurable
    int transactions = kind.equals("h2") ? 1600 : 400;
    boolean postgres = kind.equals("postgresql");
    long[][] nanos = new long[Variant.values().length][rounds];
    try (Connection connection = db.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      for (int warmUp = 0; warmUp < 3; warmUp++) {
        for (Variant variant : Variant.values()) {
          run(connection, variant, transactions, postgres);
        }
      }
      for (int round = 0; round < rounds; round++) {
        for (int i = 0; i < Variant.values().length; i++) {
          // rotate the order, so that no variant always runs first or last
          Variant variant = Variant.values()[(i + round) % Variant.values().length];
          nanos[variant.ordinal()][round] = run(connection, variant, transactions, postgres);
        }
      }
    } finally {
      db.close();
    }
    double plain = Rounds.median(nanos[0]);
    double row = Rounds.median(nanos[1]);
    double deltaSync = Rounds.median(nanos[2]);
    return String.format(
        Locale.ROOT,
        "| %s | %s | %s | %.2f | %s | %.2f | %.0f µs |",
        switch (kind) {
          case "h2" -> "H2 (in memory)";
          case "postgresql" -> "PostgreSQL";
          default -> "MariaDB";
        },
        Rounds.spread(nanos[0], 1e3),
        Rounds.spread(nanos[1], 1e3),
        row / plain,
        Rounds.spread(nanos[2], 1e3),
        deltaSync / plain,
        (deltaSync - row) / 1e3);
  }

  /** Runs the transactions of one variant on emptied tables; returns ns per transaction. */
  private static long run(Connection connection, Variant variant, int transactions, boolean pg)
      throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("DELETE FROM item");
      statement.execute("DELETE FROM ds_delta");
    }
    connection.commit();
    String rowSql = pg ? COLUMNS + "; COMMIT" : COLUMNS;
    long start = System.nanoTime();
    for (long id = 0; id < transactions; id++) {
      try (PreparedStatement insert = connection.prepareStatement(ITEM)) {
        insert.setLong(1, id);
        insert.setString(2, "item " + id);
        insert.setInt(3, 5);
        insert.setBigDecimal(4, new BigDecimal("12.50"));
        insert.setTimestamp(5, new Timestamp(System.currentTimeMillis()));
        insert.executeUpdate();
      }
      switch (variant) {
        case PLAIN -> {}
        case ROW -> {
          try (PreparedStatement insert = connection.prepareStatement(rowSql)) {
            bindRow(insert, delta(id));
            insert.execute();
          }
        }
        case DELTASYNC -> {
          List<Delta> deltas = List.of(delta(id));
          if (!CommittingInsert.insertAndCommit(connection, deltas, "bench", "hub")) {
            DeltaRows.insertCaptured(connection, deltas, "bench", "hub");
          }
        }
      }
      connection.commit();
    }
    long perTransaction = (System.nanoTime() - start) / transactions;
    check(connection, "item", transactions, variant);
    check(connection, "ds_delta", variant == Variant.PLAIN ? 0 : transactions, variant);
    return perTransaction;
  }

  /** The delta the plugin would capture for the item's insert. */
  private static Delta delta(long id) {
    return new Delta(
        DeltaIds.next(),
        "bench",
        0,
        DeltaIds.next(),
        System.currentTimeMillis() << 16,
        4242,
        "io.deltasync.bench.ItemMapper.insert",
        Kind.INSERT,
        "item",
        RowKey.of(Map.of("id", String.valueOf(id))),
        ITEM,
        List.of(
            new Param(ParamType.LONG, id),
            new Param(ParamType.STRING, "item " + id),
            new Param(ParamType.INT, 5),
            new Param(ParamType.DECIMAL, new BigDecimal("12.50")),
            new Param(ParamType.TIMESTAMP, LocalDateTime.of(2026, 12, 6, 10, 0))));
  }

  private static void bindRow(PreparedStatement insert, Delta delta) throws SQLException {
    int i = 0;
    insert.setString(++i, delta.id());
    insert.setString(++i, delta.origin());
    insert.setNull(++i, Types.VARCHAR);
    insert.setNull(++i, Types.BIGINT);
    insert.setString(++i, delta.txId());
    insert.setLong(++i, delta.capturedAt());
    insert.setLong(++i, delta.basis());
    insert.setString(++i, delta.statementId());
    insert.setString(++i, delta.kind().name());
    insert.setString(++i, delta.table());
    insert.setString(++i, DeltaCodec.encodeRowKey(delta.rowKey()));
    insert.setString(++i, delta.sql());
    insert.setString(++i, DeltaCodec.encodeParams(delta.params()));
    insert.setTimestamp(++i, new Timestamp(System.currentTimeMillis()));
  }

  private static void check(Connection connection, String table, long expected, Variant variant)
      throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
      count.next();
      if (count.getLong(1) != expected) {
        throw new IllegalStateException(
            variant.label + ": " + table + " holds " + count.getLong(1) + " rows, not " + expected);
      }
    }
    connection.commit();
  }
}
