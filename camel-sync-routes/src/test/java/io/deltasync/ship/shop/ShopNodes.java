package io.deltasync.ship.shop;

import io.deltasync.delta.DeltaCodec;
import io.deltasync.delta.NameFilter;
import io.deltasync.delta.RowKey;
import io.deltasync.load.Loader;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.ship.HttpLoadSource;
import io.deltasync.ship.support.Settling;
import io.deltasync.ship.support.ShipNode;
import io.deltasync.testing.NotesSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;

/**
 * The shop's topology with only default configuration: a hub application on PostgreSQL serving the
 * shipped {@code http-serve} routes, configured as the README configures a hub (node id, peers'
 * secrets, routes; no {@code deltasync.conflict.*} key), whose own shop writes go through MyBatis
 * with capture; and two clients, on H2 and on MariaDB ({@code lower_case_table_names=0}), that
 * reach it over HTTP.
 */
final class ShopNodes implements AutoCloseable {

  /** The hub's primary-key column per table, for finding a row's deltas. */
  private static final Map<String, String> KEYS =
      Map.of("ITEM", "id", "ACCOUNT", "id", "ORDERS", "id", "ORDER_LINE", "id", "SEQ", "name");

  private final ShipNode hub;
  private final ShopApp hubApp;
  private final List<ShopClient> clients;

  private ShopNodes(ShipNode hub, List<ShopClient> clients) {
    this.hub = hub;
    this.hubApp = new ShopApp(hub.id(), hub.writer().sessions());
    this.clients = List.copyOf(clients);
  }

  /** Starts the hub, then the H2 client {@code node-a} and the MariaDB client {@code node-b}. */
  static ShopNodes start() {
    // MariaDB takes seconds to start: let it while the hub starts
    CompletableFuture<TestDatabase> mariadb =
        CompletableFuture.supplyAsync(() -> TestDatabases.mariadb("shop_node_b"));
    TestDatabase hubDb = TestDatabases.postgres("shop_hub");
    ShopSchema.install(hubDb);
    Map<String, Object> properties = ShipNode.baseProperties("hub", hubDb);
    for (String client : List.of("node-a", "node-b", JOINER)) {
      properties.put("deltasync.ship.peers." + client + ".secret", secret(client));
    }
    properties.put("deltasync.ship.routes", "classpath:deltasync/examples/http-serve.camel.yaml");
    ShipNode hub = ShipNode.start("hub", hubDb, properties);
    String hubUrl = "http://localhost:" + hub.port();
    ShopClient h2 =
        ShopClient.start("node-a", TestDatabases.h2("shop_node_a"), hubUrl, secret("node-a"));
    ShopClient maria = ShopClient.start("node-b", mariadb.join(), hubUrl, secret("node-b"));
    return new ShopNodes(hub, List.of(h2, maria));
  }

  /** A client the hub knows that joins later, by loading the hub's tables (see {@link #join}). */
  static final String JOINER = "node-c";

  /**
   * A new MariaDB client {@link #JOINER} with the shop's tables, empty, that loads every table from
   * the hub over HTTP as a new node does, then pulls the hub's deltas after the load's snapshot
   * until it is at the hub's last seq. Not one of {@link #clients()}.
   */
  ShopClient join() {
    ShopClient joiner =
        ShopClient.start(
            JOINER,
            TestDatabases.mariadb("shop_node_c"),
            "http://localhost:" + hub.port(),
            secret(JOINER));
    joinerLoader(joiner).run();
    return joiner;
  }

  /** The joiner's loader: every table from the hub over HTTP, in chunks of 7 rows. */
  Loader joinerLoader(ShopClient joiner) {
    return new Loader(
        joiner.db().dataSource(),
        JOINER,
        NameFilter.ALL,
        new HttpLoadSource("hub", "http://localhost:" + hub.port(), JOINER, secret(JOINER)),
        7);
  }

  private static String secret(String client) {
    return client + "-and-the-hub-share-this";
  }

  ShipNode hub() {
    return hub;
  }

  /** The shop application on the hub, writing through the hub's MyBatis with capture. */
  ShopApp hubApp() {
    return hubApp;
  }

  List<ShopClient> clients() {
    return clients;
  }

  /** Every node's database, hub first. */
  Map<String, DataSource> dataSources() {
    Map<String, DataSource> dataSources = new LinkedHashMap<>();
    dataSources.put(hub.id(), hub.db().dataSource());
    clients.forEach(client -> dataSources.put(client.id(), client.db().dataSource()));
    return dataSources;
  }

  /**
   * Pushes and pulls every client until each has pushed its last delta and processed the hub's last
   * one, and the hub has processed each client's last one.
   *
   * @throws AssertionError when that takes more than ten rounds
   */
  void settle() {
    Settling.settle(hub, clients, this::state);
  }

  /** Dead letters on every node, hub first. */
  Map<String, Long> deadLetters() {
    Map<String, Long> counts = new LinkedHashMap<>();
    dataSources()
        .forEach(
            (node, dataSource) ->
                counts.put(
                    node, NotesSchema.count(dataSource, "SELECT COUNT(*) FROM ds_dead_letter")));
    return counts;
  }

  /** Every node's dead letters, one line each. */
  String deadLetterDetails() {
    StringBuilder text = new StringBuilder();
    dataSources()
        .forEach(
            (node, dataSource) ->
                NotesSchema.query(
                    dataSource,
                    "SELECT * FROM ds_dead_letter",
                    row -> {
                      text.append("\n ").append(node).append(':');
                      for (int i = 1; i <= row.getMetaData().getColumnCount(); i++) {
                        text.append(' ')
                            .append(row.getMetaData().getColumnLabel(i).toLowerCase(Locale.ROOT))
                            .append('=')
                            .append(row.getString(i));
                      }
                    }));
    return text.toString();
  }

  /** The conflicts the hub recorded, one line each; empty when none. */
  String conflicts() {
    StringBuilder text = new StringBuilder();
    NotesSchema.query(
        hub.db().dataSource(),
        "SELECT conflict_id, table_name, row_key, incoming_origin, policy, status, outcome, detail,"
            + " incoming_delta FROM ds_conflict ORDER BY conflict_id",
        row ->
            text.append(
                String.format(
                    "%n #%s %s %s from %s, %s %s %s: %s; incoming %s",
                    row.getLong(1),
                    row.getString(2),
                    row.getString(3),
                    row.getString(4),
                    row.getString(5),
                    row.getString(6),
                    row.getString(7),
                    row.getString(8),
                    row.getString(9))));
    return text.toString();
  }

  /**
   * Per table, how many clients' changes of a row reached the hub after a change of that row from
   * another origin that the client had not seen (its basis is below that change's seq): the changes
   * that, without commuting, would have been conflicts.
   */
  Map<String, Long> concurrentChanges() {
    Map<String, Long> counts = new TreeMap<>();
    NotesSchema.query(
        hub.db().dataSource(),
        "SELECT d.table_name, COUNT(*) FROM ds_delta d WHERE d.row_key IS NOT NULL"
            + " AND d.origin <> 'hub' AND EXISTS (SELECT 1 FROM ds_delta e"
            + " WHERE e.table_name = d.table_name AND e.row_key = d.row_key"
            + " AND e.origin <> d.origin AND e.seq > d.basis AND e.seq < d.seq)"
            + " GROUP BY d.table_name",
        row -> counts.put(row.getString(1).toUpperCase(Locale.ROOT), row.getLong(2)));
    return counts;
  }

  /** Every delta each node holds of one row, in seq order, and the hub's conflicts on it. */
  String history(String table, String key) {
    String rowKey = DeltaCodec.encodeRowKey(RowKey.of(Map.of(KEYS.get(table), key)));
    StringBuilder text = new StringBuilder();
    dataSources()
        .forEach(
            (node, dataSource) -> {
              text.append("\n  ").append(node).append(" deltas:");
              NotesSchema.query(
                  dataSource,
                  "SELECT seq, origin, received_from, source_seq, basis, statement_id, params"
                      + " FROM ds_delta WHERE LOWER(table_name) = ? AND row_key = ? ORDER BY seq",
                  List.of(table.toLowerCase(Locale.ROOT), rowKey),
                  row ->
                      text.append(
                          String.format(
                              "%n   seq %s origin %s from %s (their seq %s) basis %s: %s %s",
                              row.getLong(1),
                              row.getString(2),
                              row.getString(3),
                              row.getString(4),
                              row.getLong(5),
                              row.getString(6),
                              row.getString(7))));
            });
    text.append("\n  hub conflicts:");
    NotesSchema.query(
        hub.db().dataSource(),
        "SELECT conflict_id, incoming_origin, policy, status, outcome, detail"
            + " FROM ds_conflict WHERE LOWER(table_name) = ? AND row_key = ? ORDER BY conflict_id",
        List.of(table.toLowerCase(Locale.ROOT), rowKey),
        row ->
            text.append(
                String.format(
                    "%n   #%s from %s %s %s %s: %s",
                    row.getLong(1),
                    row.getString(2),
                    row.getString(3),
                    row.getString(4),
                    row.getString(5),
                    row.getString(6))));
    return text.toString();
  }

  /** Seqs and pointers of every node, for a failure message. */
  String state() {
    StringBuilder text = new StringBuilder();
    text.append("\nhub: lastSeq=")
        .append(hub.store().lastSeq())
        .append(" pointers=")
        .append(hub.store().allPointers());
    for (ShopClient client : clients) {
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
    clients.forEach(client -> client.db().close());
  }
}
