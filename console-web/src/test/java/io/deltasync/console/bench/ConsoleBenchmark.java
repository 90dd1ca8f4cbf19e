package io.deltasync.console.bench;

import io.deltasync.console.ConsoleApplication;
import io.deltasync.console.support.Browser;
import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.DeltaCodec;
import io.deltasync.delta.DeltaIds;
import io.deltasync.delta.Kind;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.delta.RowKey;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * How fast the console renders with a big hub: 1,000,000 deltas in {@code ds_delta} and 1,000
 * conflicts on embedded PostgreSQL. Renders the Nodes page, the first Deltas page filtered by a
 * table, and a conflict's detail, each server-side over HTTP; prints each one's median (target:
 * under 200 ms). Argument: rounds (default 21).
 */
public final class ConsoleBenchmark {

  private static final int DELTAS = 1_000_000;
  private static final int CONFLICTS = 1_000;

  private ConsoleBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 21;
    TestDatabase db = TestDatabases.postgres("console_bench").migrate();
    long filled = System.nanoTime();
    fill(db);
    System.out.printf(
        "Filled %,d deltas and %,d conflicts in %d s%n",
        DELTAS, CONFLICTS, (System.nanoTime() - filled) / 1_000_000_000L);
    String password = "bench-password";
    try (ConfigurableApplicationContext console =
        new SpringApplicationBuilder(ConsoleApplication.class)
            .run(
                "--server.port=0",
                "--spring.main.banner-mode=off",
                "--spring.datasource.url=" + db.jdbcUrl(),
                "--spring.datasource.username=" + db.user(),
                "--spring.datasource.password=" + db.password(),
                "--deltasync.node.id=hub",
                "--deltasync.cluster.role=HUB",
                "--deltasync.cluster.cluster-name=deltasync-bench-" + System.nanoTime(),
                "--deltasync.cluster.port=5971",
                "--deltasync.console.users.admin.password=" + password,
                "--deltasync.console.users.admin.role=ADMIN",
                "--logging.level.root=WARN")) {
      int port = Integer.parseInt(console.getEnvironment().getProperty("local.server.port"));
      Browser admin = Browser.loggedIn(port, "admin", password);
      Thread.sleep(6_000); // one lag sample taken
      long conflict = CONFLICTS / 2;
      for (Map.Entry<String, String> page :
          Map.of(
                  "Nodes", "/nodes",
                  "Deltas, table t7", "/deltas?table=t7",
                  "Conflict detail", "/conflicts/" + conflict)
              .entrySet()) {
        System.out.printf(
            "%-18s median %4d ms over %d renders%n",
            page.getKey(), median(admin, page.getValue(), rounds), rounds);
      }
    }
    System.exit(0);
  }

  private static long median(Browser admin, String path, int rounds) {
    for (int i = 0; i < 5; i++) {
      check(admin, path);
    }
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      long start = System.nanoTime();
      check(admin, path);
      millis.add((System.nanoTime() - start) / 1_000_000);
    }
    millis.sort(Long::compare);
    return millis.get(millis.size() / 2);
  }

  private static void check(Browser admin, String path) {
    var response = admin.get(path);
    if (response.statusCode() != 200) {
      throw new IllegalStateException(path + " answered " + response.statusCode());
    }
  }

  private static void fill(TestDatabase db) throws Exception {
    String params =
        DeltaCodec.encodeParams(
            List.of(new Param(ParamType.STRING, "a title"), new Param(ParamType.LONG, 7L)));
    long now = System.currentTimeMillis();
    try (Connection connection = db.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      for (int chunk = 0; chunk < 4; chunk++) {
        statement.execute(
            "INSERT INTO ds_delta (delta_id, origin, received_from, source_seq, tx_id, captured_at,"
                + " basis, statement_id, kind, table_name, row_key, sql_text, params, stored_at)"
                + " SELECT 'bench-' || i,"
                + " CASE i % 3 WHEN 0 THEN 'node-a' WHEN 1 THEN 'node-b' ELSE 'hub' END,"
                + " CASE i % 3 WHEN 0 THEN 'node-a' WHEN 1 THEN 'node-b' END,"
                + " CASE WHEN i % 3 < 2 THEN i END, 'tx-' || (i / 3),"
                + " ("
                + now
                + "::bigint - ("
                + DELTAS
                + " - i) * 10) << 16, 0,"
                + " 'bench.NoteMapper.update', 'UPDATE', 't' || (i % 20),"
                + " '{\"id\":\"' || i || '\"}', 'UPDATE t SET title = ? WHERE id = ?', '"
                + params
                + "', now() - (("
                + DELTAS
                + " - i) * interval '10 milliseconds')"
                + " FROM generate_series("
                + (chunk * 250_000 + 1)
                + ", "
                + ((chunk + 1) * 250_000)
                + ") AS i");
      }
      statement.execute(
          "INSERT INTO ds_node_pointer (node_id, peer_id, last_pushed, last_processed, updated_at)"
              + " VALUES ('hub', 'node-a', 900000, 899999, now()),"
              + " ('hub', 'node-b', 500000, 499999, now())");
      statement.execute("ANALYZE ds_delta");
    }
    try (Connection connection = db.dataSource().getConnection();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO ds_conflict (detected_at, table_name, row_key, incoming_delta_id,"
                    + " incoming_origin, incoming_delta, hub_deltas, hub_row, incoming_row, policy,"
                    + " status) VALUES (?, 'note', ?, ?, 'node-b', ?, ?, ?, ?, 'manual', 'OPEN')")) {
      for (int i = 1; i <= CONFLICTS; i++) {
        RowKey key = RowKey.of(Map.of("id", Integer.toString(i)));
        Delta incoming = delta("node-b", key, "incoming " + i);
        Delta hub = delta("node-a", key, "hub " + i);
        insert.setTimestamp(1, new Timestamp(now));
        insert.setString(2, DeltaCodec.encodeRowKey(key));
        insert.setString(3, incoming.id());
        insert.setString(4, new String(DeltaCodec.encode(incoming), StandardCharsets.UTF_8));
        insert.setString(
            5,
            new String(
                DeltaCodec.encodeBatch(new DeltaBatch("hub", DeltaIds.next(), 0, 1, List.of(hub))),
                StandardCharsets.UTF_8));
        insert.setString(6, row(i, "hub " + i));
        insert.setString(7, row(i, "incoming " + i));
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  private static Delta delta(String origin, RowKey key, String body) {
    return new Delta(
        DeltaIds.next(),
        origin,
        1,
        DeltaIds.next(),
        System.currentTimeMillis() << 16,
        0,
        "bench.NoteMapper.edit",
        Kind.UPDATE,
        "note",
        key,
        "UPDATE note SET body = ? WHERE id = ?",
        List.of(
            new Param(ParamType.STRING, body),
            new Param(ParamType.LONG, Long.parseLong(key.values().get("id")))));
  }

  private static String row(long id, String body) {
    return DeltaCodec.encodeParams(
        List.of(
            new Param(ParamType.STRING, "id"),
            new Param(ParamType.LONG, id),
            new Param(ParamType.STRING, "title"),
            new Param(ParamType.STRING, "Note " + id),
            new Param(ParamType.STRING, "body"),
            new Param(ParamType.STRING, body)));
  }
}
