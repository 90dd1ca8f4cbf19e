package io.deltasync.ship.support;

import io.deltasync.delta.DeltaCodec;
import io.deltasync.delta.RowKey;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.NotesSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;

/**
 * A hub and three clients for the conflict tests. The hub is a Spring Boot application on
 * PostgreSQL serving the shipped {@code http-serve} routes; the clients (two on H2, one on MariaDB)
 * run no routes and reach the hub through {@link HttpPeer}, so that a test decides when each pushes
 * and pulls.
 */
public final class PolicyNodes implements AutoCloseable {

  private final ShipNode hub;
  private final List<PolicyClient> clients;

  private PolicyNodes(ShipNode hub, List<PolicyClient> clients) {
    this.hub = hub;
    this.clients = List.copyOf(clients);
  }

  /**
   * Starts the hub with the given extra properties (the conflict policies), then the clients.
   *
   * @param hubProperties properties added to the hub application's, e.g. {@code
   *     deltasync.conflict.*}
   */
  public static PolicyNodes start(Map<String, Object> hubProperties) {
    // MariaDB takes seconds to start: let it while the hub starts
    CompletableFuture<TestDatabase> mariadb =
        CompletableFuture.supplyAsync(() -> TestDatabases.mariadb("policy_node_c"));
    TestDatabase hubDb = TestDatabases.postgres("policy_hub");
    PolicyTables.install(hubDb);
    Map<String, TestDatabase> clientDbs = new LinkedHashMap<>();
    clientDbs.put("node-a", TestDatabases.h2("policy_node_a"));
    clientDbs.put("node-b", TestDatabases.h2("policy_node_b"));
    Map<String, Object> properties = ShipNode.baseProperties("hub", hubDb);
    for (String client : List.of("node-a", "node-b", "node-c")) {
      properties.put("deltasync.ship.peers." + client + ".secret", secret(client));
    }
    properties.put("deltasync.ship.routes", "classpath:deltasync/examples/http-serve.camel.yaml");
    properties.putAll(hubProperties);
    ShipNode hub = ShipNode.start("hub", hubDb, properties);
    clientDbs.put("node-c", mariadb.join());
    String hubUrl = "http://localhost:" + hub.port();
    List<PolicyClient> clients = new ArrayList<>();
    clientDbs.forEach((id, db) -> clients.add(PolicyClient.start(id, db, hubUrl, secret(id))));
    return new PolicyNodes(hub, clients);
  }

  /** The secret a client and the hub share. */
  private static String secret(String client) {
    return client + "-and-the-hub-share-this";
  }

  public ShipNode hub() {
    return hub;
  }

  public List<PolicyClient> clients() {
    return clients;
  }

  /**
   * Pushes and pulls every client until every pointer is at the end of the stream it points into:
   * each client has pushed its last delta and processed the hub's last one, so nothing moves any
   * more.
   *
   * @throws AssertionError when that takes more than ten rounds
   */
  public void settle() {
    Settling.settle(hub, clients, this::state);
  }

  /**
   * The rows that differ between the four databases, table by table, each with every node's version
   * ({@code -} where a node lacks the row) and, for the first few, the row's {@link #history};
   * empty when all four are equal.
   */
  public String differences() {
    return differences(Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /** The {@link #differences()} among the rows with ids from {@code fromId} to {@code toId}. */
  public String differences(long fromId, long toId) {
    return differences(fromId, toId, clients);
  }

  /** The {@link #differences(long, long)} between the hub and some of the clients. */
  public String differences(long fromId, long toId, List<PolicyClient> among) {
    StringBuilder text = new StringBuilder();
    StringBuilder histories = new StringBuilder();
    int differing = 0;
    for (String table : PolicyTables.ALL) {
      Map<String, Map<Long, String>> byNode = new LinkedHashMap<>();
      byNode.put(hub.id(), byId(PolicyTables.dump(hub.db().dataSource(), table)));
      among.forEach(client -> byNode.put(client.id(), byId(client.dump(table))));
      TreeSet<Long> ids = new TreeSet<>();
      byNode.values().forEach(rows -> ids.addAll(rows.keySet()));
      for (long id : ids.subSet(fromId, true, toId, true)) {
        List<String> versions =
            byNode.values().stream().map(rows -> rows.getOrDefault(id, "-")).distinct().toList();
        if (versions.size() > 1) {
          text.append('\n').append(table).append(" id=").append(id).append(':');
          byNode.forEach(
              (node, rows) ->
                  text.append("\n  ").append(node).append(": ").append(rows.getOrDefault(id, "-")));
          if (differing++ < 3) {
            histories.append(history(table, id));
          }
        }
      }
    }
    return text.append(histories).toString();
  }

  private static Map<Long, String> byId(List<String> rows) {
    Map<Long, String> byId = new TreeMap<>();
    for (String row : rows) {
      byId.put(Long.parseLong(row.substring(0, row.indexOf('|'))), row);
    }
    return byId;
  }

  /** The table's rows on each node, hub first. */
  public Map<String, List<String>> dumps(String table) {
    Map<String, List<String>> dumps = new LinkedHashMap<>();
    dumps.put(hub.id(), PolicyTables.dump(hub.db().dataSource(), table));
    clients.forEach(client -> dumps.put(client.id(), client.dump(table)));
    return dumps;
  }

  /** Dead letters on every node, hub first. */
  public Map<String, Long> deadLetters() {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put(
        hub.id(), NotesSchema.count(hub.db().dataSource(), "SELECT COUNT(*) FROM ds_dead_letter"));
    clients.forEach(client -> counts.put(client.id(), client.deadLetters()));
    return counts;
  }

  /** The hub's conflicts counted per table and per policy that decided them. */
  public Map<String, Map<String, Long>> conflictsPerTableAndPolicy() {
    Map<String, Map<String, Long>> counts = new TreeMap<>();
    NotesSchema.query(
        hub.db().dataSource(),
        "SELECT table_name, policy, COUNT(*) FROM ds_conflict GROUP BY table_name, policy",
        row ->
            counts
                .computeIfAbsent(row.getString(1), table -> new TreeMap<>())
                .put(row.getString(2), row.getLong(3)));
    return counts;
  }

  /** The numbers of every conflict the hub recorded, in order. */
  public List<Long> conflictIds() {
    List<Long> ids = new ArrayList<>();
    NotesSchema.query(
        hub.db().dataSource(),
        "SELECT conflict_id FROM ds_conflict ORDER BY conflict_id",
        row -> ids.add(row.getLong(1)));
    return ids;
  }

  /**
   * Everything each node knows of one row, for a failure message: its deltas in seq order and the
   * hub's conflicts on it.
   */
  public String history(String table, long id) {
    return history(table, DeltaCodec.encodeRowKey(RowKey.of(Map.of("id", String.valueOf(id)))));
  }

  /**
   * The {@link #history} of the row a delta changed, found by the delta's id on any node; empty
   * when no node has the delta or it names no row.
   */
  public String historyOfDelta(String deltaId) {
    List<String> row = new ArrayList<>();
    List<DataSource> dataSources = new ArrayList<>(List.of(hub.db().dataSource()));
    clients.forEach(client -> dataSources.add(client.db().dataSource()));
    for (DataSource dataSource : dataSources) {
      NotesSchema.query(
          dataSource,
          "SELECT table_name, row_key FROM ds_delta WHERE delta_id = ? AND row_key IS NOT NULL",
          List.of(deltaId),
          found -> row.addAll(List.of(found.getString(1), found.getString(2))));
      if (!row.isEmpty()) {
        return history(row.get(0), row.get(1));
      }
    }
    return "";
  }

  private String history(String table, String key) {
    StringBuilder text = new StringBuilder("\nhistory of " + table + " " + key + ":");
    Map<String, DataSource> dataSources = new LinkedHashMap<>();
    dataSources.put(hub.id(), hub.db().dataSource());
    clients.forEach(client -> dataSources.put(client.id(), client.db().dataSource()));
    dataSources.forEach(
        (node, dataSource) -> {
          text.append("\n ").append(node).append(" deltas:");
          NotesSchema.query(
              dataSource,
              "SELECT seq, origin, received_from, source_seq, basis, captured_at, kind, params"
                  + " FROM ds_delta WHERE table_name = ? AND row_key = ? ORDER BY seq",
              List.of(table, key),
              row ->
                  text.append(
                      String.format(
                          "%n  seq %s origin %s from %s (their seq %s) basis %s at %s: %s %s",
                          row.getLong(1),
                          row.getString(2),
                          row.getString(3),
                          row.getString(4),
                          row.getLong(5),
                          row.getLong(6) >>> 16,
                          row.getString(7),
                          row.getString(8))));
        });
    text.append("\n hub conflicts:");
    NotesSchema.query(
        hub.db().dataSource(),
        "SELECT conflict_id, incoming_origin, policy, status, outcome, detail, incoming_delta"
            + " FROM ds_conflict WHERE table_name = ? AND row_key = ? ORDER BY conflict_id",
        List.of(table, key),
        row ->
            text.append(
                String.format(
                    "%n  #%s from %s %s %s %s: %s; incoming %s",
                    row.getLong(1),
                    row.getString(2),
                    row.getString(3),
                    row.getString(4),
                    row.getString(5),
                    row.getString(6),
                    row.getString(7))));
    return text.toString();
  }

  /** Seqs and pointers of every node, for a failure message. */
  public String state() {
    StringBuilder text = new StringBuilder();
    text.append("\nhub: lastSeq=")
        .append(hub.store().lastSeq())
        .append(" pointers=")
        .append(hub.store().allPointers());
    for (PolicyClient client : clients) {
      text.append('\n')
          .append(client)
          .append(": lastSeq=")
          .append(client.syncNode().store().lastSeq())
          .append(" pointers=")
          .append(client.syncNode().store().allPointers());
    }
    return text.toString();
  }

  @Override
  public void close() {
    hub.close();
  }
}
