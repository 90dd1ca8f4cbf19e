package io.deltasync.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.deltasync.bench.ItemMapper.Item;
import io.deltasync.capture.CaptureSettings;
import io.deltasync.capture.DeltaSyncInterceptor;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Function;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;

/**
 * What capture costs, beside a trigger-based peer: the same MyBatis workloads on three separate but
 * identical databases of one server (plain, with the DeltaSync plugin, with SymmetricDS triggers),
 * run alternating in rounds, on H2, PostgreSQL and MariaDB. Prints, per database and workload, each
 * variant's median time with its min–max over the rounds and the ratio of each capturing variant's
 * median to the plain one (and of the minima, which other load on the machine disturbs least).
 *
 * <p>Run with {@code ./run-benchmark.sh capture [quick|full]}. Arguments: {@code quick} (3 rounds),
 * {@code full} (15 rounds) or a number of rounds; then, optionally, the databases ({@code
 * h2,postgresql,mariadb}).
 */
public final class CaptureOverheadBenchmark {

  /** The DeltaSync variant's {@code lastProcessed} from its hub, the basis of its deltas. */
  private static final long BASIS = 4242;

  private enum Variant {
    PLAIN("plain"),
    DELTASYNC("DeltaSync"),
    SYMMETRICDS("SymmetricDS");

    final String label;

    Variant(String label) {
      this.label = label;
    }
  }

  private interface Body {
    void run(ItemMapper items, long tx, SqlSession session) throws SQLException;
  }

  /**
   * @param prefilled whether rows 0 .. transactions - 1 exist before the run (updates, deletes)
   * @param statements statements per transaction that are kept, each changing one row (a delta)
   * @param rowsPerTx rows in the table after the run, per transaction
   */
  private record Workload(
      String name,
      ExecutorType type,
      int transactions,
      boolean prefilled,
      int statements,
      int rowsPerTx,
      Body body) {}

  private static final List<Workload> WORKLOADS =
      List.of(
          new Workload(
              "1 INSERT/tx", ExecutorType.SIMPLE, 400, false, 1, 1, (m, tx, s) -> m.insert(new Item(tx))),
          new Workload(
              "1 UPDATE/tx", ExecutorType.SIMPLE, 400, true, 1, 1, (m, tx, s) -> m.update(edited(tx))),
          new Workload("1 DELETE/tx", ExecutorType.SIMPLE, 400, true, 1, 0, (m, tx, s) -> m.delete(tx)),
          new Workload(
              "10 INSERTs/tx",
              ExecutorType.SIMPLE,
              60,
              false,
              10,
              10,
              (m, tx, s) -> {
                for (int i = 0; i < 10; i++) {
                  m.insert(new Item(tx * 10 + i));
                }
              }),
          new Workload(
              "BATCH 100 INSERTs/tx",
              ExecutorType.BATCH,
              10,
              false,
              100,
              100,
              (m, tx, s) -> {
                for (int i = 0; i < 100; i++) {
                  m.insert(new Item(tx * 100 + i));
                }
              }),
          new Workload(
              "1 insert + 1 update/tx",
              ExecutorType.SIMPLE,
              300,
              false,
              2,
              1,
              (m, tx, s) -> {
                m.insert(new Item(tx));
                m.update(edited(tx));
              }),
          new Workload(
              "1 INSERT + a savepoint rolled back/tx",
              ExecutorType.SIMPLE,
              300,
              false,
              1,
              1,
              (m, tx, s) -> {
                m.insert(new Item(tx));
                Savepoint savepoint = s.getConnection().setSavepoint();
                m.insert(new Item(tx + 1_000_000));
                s.getConnection().rollback(savepoint);
              }));

  /** One variant's database, sessions and the table its capture writes (null for plain). */
  private record Target(
      Variant variant,
      TestDatabase db,
      SqlSessionFactory sessions,
      String captureTable,
      AutoCloseable peer) {}

  private CaptureOverheadBenchmark() {}

  public static void main(String[] args) {
    try {
      measure(args);
    } catch (Throwable e) {
      e.printStackTrace();
      System.exit(1); // SymmetricDS leaves threads running that would keep the JVM alive
    }
    System.exit(0);
  }

  private static void measure(String[] args) throws Exception {
    int rounds = Rounds.of(args.length > 0 ? args[0] : "quick");
    List<String> kinds =
        List.of((args.length > 1 ? args[1] : "h2,postgresql,mariadb").split(","));
    List<String> rows = new ArrayList<>();
    for (String kind : kinds) {
      rows.addAll(benchmark(kind, rounds));
    }
    System.out.printf(
        "%nCapture cost, medians of %d rounds (min–max), ratio = median with capture ÷ median"
            + " plain (and the same for the minima, which a busy machine disturbs least):%n%n",
        rounds);
    System.out.println(
        "| database | workload | plain ms | DeltaSync ms | DeltaSync ratio | SymmetricDS ms |"
            + " SymmetricDS ratio |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|");
    rows.forEach(System.out::println);
  }

  private static List<String> benchmark(String kind, int rounds) throws Exception {
    Function<String, TestDatabase> create =
        switch (kind) {
          case "h2" -> TestDatabases::h2;
          case "postgresql" -> TestDatabases::postgres;
          case "mariadb" -> TestDatabases::mariadb;
          default -> throw new IllegalArgumentException("unknown database " + kind);
        };
    // in-memory H2 is so fast that a run needs more transactions to be measurable
    int scale = kind.equals("h2") ? 4 : 1;
    List<Target> targets = new ArrayList<>();
    for (Variant variant : Variant.values()) {
      TestDatabase db = create.apply("bench_" + variant.name().toLowerCase(Locale.ROOT));
      if (kind.equals("mariadb")) {
        db = withoutBulkStatements(db);
      }
      db.execute(ItemMapper.CREATE_TABLE);
      targets.add(
          switch (variant) {
            case PLAIN -> new Target(variant, db, factory(db, null), null, null);
            case DELTASYNC -> {
              // a client, as every node but a hub is: its deltas carry the basis it pulled up to
              db.migrate();
              db.execute(
                  "INSERT INTO ds_node_pointer (node_id, peer_id, last_pushed, last_processed,"
                      + " updated_at) VALUES ('bench', 'hub', 0, "
                      + BASIS
                      + ", CURRENT_TIMESTAMP)");
              yield new Target(
                  variant, db, factory(db, new DeltaSyncInterceptor(clientOf("hub"), List.of())),
                  "ds_delta", null);
            }
            case SYMMETRICDS ->
                new Target(
                    variant, db, factory(db, null), "sym_data", SymmetricPeer.install(db));
          });
    }
    List<String> rows = new ArrayList<>();
    for (Workload workload : WORKLOADS) {
      String only = System.getProperty("bench.workload");
      if (only != null && !workload.name().startsWith(only)) {
        continue;
      }
      long[][] times = new long[targets.size()][rounds];
      for (int warmUp = 0; warmUp < 3; warmUp++) {
        // three untimed runs: one left the first workload's capture still being compiled by the JIT
        for (Target target : targets) {
          run(target, workload, scale);
        }
      }
      for (int round = 0; round < rounds; round++) {
        for (int i = 0; i < targets.size(); i++) {
          // rotate the order, so that no variant always runs first or last
          int t = (i + round) % targets.size();
          times[t][round] = run(targets.get(t), workload, scale);
        }
      }
      if (Boolean.getBoolean("bench.verbose")) {
        for (int t = 0; t < targets.size(); t++) {
          long[] ms = Arrays.stream(times[t]).map(nanos -> nanos / 1_000_000).toArray();
          System.out.println(targets.get(t).variant().label + " ms " + Arrays.toString(ms));
        }
      }
      StringBuilder row =
          new StringBuilder("| " + label(kind) + " | " + workload.name() + " | ");
      double plain = Rounds.median(times[0]);
      row.append(Rounds.spread(times[0], 1e6));
      for (int t = 1; t < targets.size(); t++) {
        row.append(" | ").append(Rounds.spread(times[t], 1e6));
        row.append(
            String.format(
                Locale.ROOT,
                " | %.2f (min %.2f)",
                Rounds.median(times[t]) / plain,
                (double) min(times[t]) / min(times[0])));
      }
      row.append(" |");
      System.out.println(row);
      rows.add(row.toString());
    }
    for (Target target : targets) {
      if (target.peer() != null) {
        target.peer().close();
      }
      target.db().close();
    }
    return rows;
  }

  /**
   * The database with the MariaDB driver's bulk execution off, for every variant alike: with a
   * trigger on the table (SymmetricDS's), a bulk-executed batch of inserts kept only its first row.
   */
  private static TestDatabase withoutBulkStatements(TestDatabase db) {
    db.close();
    HikariDataSource pool = new HikariDataSource();
    String url = db.jdbcUrl() + "?useBulkStmts=false&useBulkStmtsForInserts=false";
    pool.setJdbcUrl(url);
    pool.setUsername(db.user());
    pool.setPassword(db.password());
    pool.setMaximumPoolSize(4);
    return new TestDatabase(db.kind(), url, db.user(), db.password(), pool);
  }

  private static String label(String kind) {
    return switch (kind) {
      case "h2" -> "H2 (in memory)";
      case "postgresql" -> "PostgreSQL";
      default -> "MariaDB";
    };
  }

  /** The capture settings of a client of the hub {@code upstream}. */
  private static CaptureSettings clientOf(String upstream) {
    Properties properties = new Properties();
    properties.setProperty("nodeId", "bench");
    properties.setProperty("upstream", upstream);
    return CaptureSettings.fromProperties(properties);
  }

  private static SqlSessionFactory factory(TestDatabase db, DeltaSyncInterceptor interceptor) {
    Configuration configuration =
        new Configuration(new Environment("bench", new JdbcTransactionFactory(), db.dataSource()));
    configuration.addMapper(ItemMapper.class);
    if (interceptor != null) {
      configuration.addInterceptor(interceptor);
    }
    return new SqlSessionFactoryBuilder().build(configuration);
  }

  /**
   * Runs the workload once on a freshly emptied table and checks that the variant's capture
   * recorded every change; returns nanoseconds. Only the transactions are timed.
   */
  private static long run(Target target, Workload workload, int scale) throws SQLException {
    int transactions = workload.transactions() * scale;
    prepare(target, workload, transactions);
    long start = System.nanoTime();
    for (long tx = 0; tx < transactions; tx++) {
      try (SqlSession session = target.sessions().openSession(workload.type())) {
        workload.body().run(session.getMapper(ItemMapper.class), tx, session);
        session.commit();
      }
    }
    long elapsed = System.nanoTime() - start;
    long rows = count(target.db(), "item");
    if (rows != (long) transactions * workload.rowsPerTx()) {
      throw new IllegalStateException(
          "workload "
              + workload.name()
              + " left "
              + rows
              + " rows in item on the "
              + target.variant().label
              + " database of "
              + target.db().kind()
              + ", not "
              + (long) transactions * workload.rowsPerTx());
    }
    if (target.captureTable() != null) {
      long expected = (long) transactions * workload.statements();
      String captureRows =
          target.variant() == Variant.DELTASYNC
              ? "ds_delta WHERE basis = " + BASIS // the basis was read from the pointer
              : target.captureTable();
      long captured = count(target.db(), captureRows);
      if (captured != expected) {
        throw new IllegalStateException(
            target.variant().label
                + " on "
                + target.db().kind()
                + " recorded "
                + captured
                + " rows in "
                + captureRows
                + " for "
                + expected
                + " changes of workload "
                + workload.name()
                + ": its capture did not run, so the measurement would be meaningless");
      }
    }
    return elapsed;
  }

  /** Empties the table and the capture table, then inserts the rows the workload changes. */
  private static void prepare(Target target, Workload workload, int transactions)
      throws SQLException {
    try (Connection connection = target.db().dataSource().getConnection()) {
      // TRUNCATE rather than DELETE: deleted rows would pile up in each table and its indexes
      // between runs (most in ds_delta, which has the most indexes) and slow later runs unevenly
      truncate(connection, "item");
      if (target.captureTable() != null) {
        truncate(connection, target.captureTable());
      }
      connection.setAutoCommit(false);
      if (workload.prefilled()) {
        try (PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO item (id, name, qty, price, updated) VALUES (?, ?, ?, ?, ?)")) {
          for (long id = 0; id < transactions; id++) {
            Item item = new Item(id);
            insert.setLong(1, item.id);
            insert.setString(2, item.name);
            insert.setInt(3, item.qty);
            insert.setBigDecimal(4, item.price);
            insert.setObject(5, item.updated);
            // one by one: MariaDB's bulk execution left all but the first row out when the table
            // has a trigger
            insert.executeUpdate();
          }
        }
      }
      if (target.captureTable() != null) {
        // the trigger saw the prefill too; only the workload's own changes count
        try (Statement statement = connection.createStatement()) {
          statement.execute("DELETE FROM " + target.captureTable());
        }
      }
      connection.commit();
      connection.setAutoCommit(true);
    }
  }

  private static void truncate(Connection connection, String table) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("TRUNCATE TABLE " + table);
    }
  }


  private static long count(TestDatabase db, String table) throws SQLException {
    try (Connection connection = db.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
      row.next();
      return row.getLong(1);
    }
  }

  private static Item edited(long id) {
    Item item = new Item(id);
    item.name = "edited " + id;
    item.qty = item.qty + 1;
    return item;
  }

  private static long min(long[] values) {
    return Arrays.stream(values).min().orElse(0);
  }

}
