package io.deltasync.ship.shop;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.load.Loader;
import io.deltasync.testing.NotesSchema;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A shop configured only as the README shows (a PostgreSQL hub application, clients on H2 and on
 * MariaDB with {@code lower_case_table_names=0}, upper-case table names, mappers with a cache) runs
 * a seeded random workload over HTTP: sales on both clients and restocks on the hub of the same
 * items, e-mail and address edits of the same accounts on different clients (and phone edits on the
 * hub), orders numbered from each client's sequence row. Once settled, every database holds exactly
 * what was committed: the same rows in every column, each item's stock its start minus every sale
 * plus every restock, every account's last e-mail, address and phone; no dead letter, no conflict
 * (these changes commute or touch different columns); and the cached mappers read what the pulls
 * applied. Then a new MariaDB client joins while the hub sells: it loads every upper-case table
 * from the hub's snapshot, pulls what came after it, and ends equal to the hub.
 *
 * <p>The first test runs the workload; the others check its outcome, one property each, so that a
 * failure names the property. The seed comes from {@code deltasync.seed}, else at random; it is
 * printed and part of every failure message, so {@code -Ddeltasync.seed=<seed>} replays a run.
 * {@code -Ddeltasync.steps=<n>} makes the walk longer (default 400 steps).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShopWorkloadIT {

  private static final long SEED = seed();
  private static final int STEPS = Integer.getInteger("deltasync.steps", 400);
  private static final int ITEMS = 6;
  private static final int ACCOUNTS = 4;
  private static final int START_QTY = 1_000;

  private static ShopNodes nodes;
  private static ShopLedger ledger;
  private static ShopWorkload workload;

  @BeforeAll
  static void startNodes() {
    System.out.println("ShopWorkloadIT seed=" + SEED + " steps=" + STEPS);
    nodes = ShopNodes.start();
    ledger = new ShopLedger();
  }

  @AfterAll
  static void stopNodes() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  @Order(1)
  void aRandomShopWorkloadSettles() {
    withSeed(
        () -> {
          assertThat(mariadbSetting("lower_case_table_names"))
              .as("MariaDB's lower_case_table_names")
              .isEqualTo("0");
          assertThat(mariadbTables()).as("tables on MariaDB").contains("ITEM", "ACCOUNT", "SEQ");
          for (long id = 1; id <= ITEMS; id++) {
            long item = id;
            BigDecimal price = BigDecimal.valueOf(199 + 250 * id, 2);
            nodes
                .hubApp()
                .inTransaction(shop -> shop.insertItem(item, "item " + item, START_QTY, price));
            ledger.item(item, "item " + item, START_QTY, price, "hub");
          }
          for (long id = 1; id <= ACCOUNTS; id++) {
            long account = id;
            String email = "a" + id + "@shop.example";
            String address = id + " Main Street";
            String phone = "+1 555 010" + id;
            nodes
                .hubApp()
                .inTransaction(shop -> shop.insertAccount(account, email, address, phone));
            ledger.account(account, email, address, phone, "hub");
          }
          for (ShopClient client : nodes.clients()) {
            client.app().inTransaction(shop -> shop.insertSeq(client.id()));
            ledger.sequence(client.id());
          }
          nodes.settle();

          workload = new ShopWorkload(new Random(SEED), nodes, ledger);
          long started = System.nanoTime();
          try {
            workload.run(STEPS);
          } finally {
            System.out.println(
                "ShopWorkloadIT: "
                    + workload
                    + " in "
                    + (System.nanoTime() - started) / 1_000_000
                    + " ms, ledger "
                    + ledger.fingerprint());
          }
          nodes.settle();
          Map<String, Long> concurrent = nodes.concurrentChanges();
          System.out.println(
              "ShopWorkloadIT: changes the hub got of rows changed meanwhile by another node "
                  + concurrent);
          assertThat(concurrent)
              .as("changes the hub got of rows another node had changed unseen")
              .containsKeys("ITEM", "ACCOUNT");
        });
  }

  @Test
  @Order(2)
  void allDatabasesAreEqualInEveryColumn() {
    withSeed(
        () ->
            assertThat(checks().differencesBetweenNodes())
                .as("rows that differ between the databases")
                .isEmpty());
  }

  @Test
  @Order(3)
  void everyItemsStockIsItsStartMinusEverySalePlusEveryRestock() {
    withSeed(
        () ->
            assertThat(checks().differencesFromCommitted("ITEM"))
                .as("items not as committed")
                .isEmpty());
  }

  @Test
  @Order(4)
  void noAccountColumnEditIsLost() {
    withSeed(
        () ->
            assertThat(checks().differencesFromCommitted("ACCOUNT"))
                .as("accounts not as committed")
                .isEmpty());
  }

  @Test
  @Order(5)
  void everySequenceRowCountsItsClientsOrdersAndEveryOrderIsEverywhere() {
    withSeed(
        () -> {
          assertThat(checks().differencesFromCommitted("SEQ"))
              .as("sequence rows not as committed")
              .isEmpty();
          assertThat(checks().differencesFromCommitted("ORDERS"))
              .as("orders not as committed")
              .isEmpty();
          assertThat(checks().differencesFromCommitted("ORDER_LINE"))
              .as("order lines not as committed")
              .isEmpty();
        });
  }

  @Test
  @Order(6)
  void noNodeHasDeadLetters() {
    withSeed(
        () ->
            assertThat(nodes.deadLetters())
                .as("dead letters per node:%s", nodes.deadLetterDetails())
                .allSatisfy((node, count) -> assertThat(count).as(node).isZero()));
  }

  @Test
  @Order(7)
  void theHubRecordsNoConflict() {
    withSeed(
        () ->
            assertThat(nodes.conflicts())
                .as(
                    "conflicts recorded at the hub (sales, restocks, sequence steps commute;"
                        + " e-mail and address edits touch different columns)")
                .isEmpty());
  }

  @Test
  @Order(8)
  void cachedMappersReadWhatThePullsApplied() {
    withSeed(
        () -> {
          assertThat(workload).as("the workload ran").isNotNull();
          assertThat(workload.staleReads())
              .as("reads through the cached ShopMapper that differed from the database")
              .isEmpty();
          assertThat(workload.refreshedReads())
              .as("pulls that changed items a client had just read through its cache")
              .isPositive();
          for (ShopClient client : nodes.clients()) {
            Map<String, String> cached = new TreeMap<>();
            client
                .app()
                .items()
                .forEach(item -> cached.put(item.id().toString(), "QTY=" + item.qty()));
            Map<String, String> stored = new TreeMap<>();
            ShopSchema.rows(client.db().dataSource(), "ITEM")
                .forEach(
                    (id, row) -> stored.put(id, row.replaceAll(".*\\|(QTY=[^|]*)\\|.*", "$1")));
            assertThat(cached)
                .as("%s's stock read through the cached mapper after settling", client)
                .isEqualTo(stored);
          }
        });
  }

  @Test
  @Order(9)
  void aNewMariaDbShopLoadsEveryUpperCaseTableWhileTheHubSellsAndEndsEqual() throws Exception {
    withSeed(
        () -> {
          Thread hubSales =
              new Thread(
                  () -> {
                    for (int i = 0; i < 60; i++) {
                      long item = 1 + i % ITEMS;
                      nodes.hubApp().inTransaction(shop -> shop.sell(item, 1));
                    }
                  },
                  "hub-sales");
          hubSales.start();
          ShopClient joiner = nodes.join();
          try {
            joinQuietly(hubSales);
            long hubSeq = nodes.hub().store().lastSeq();
            for (int round = 0; round < 10 && pointer(joiner) < hubSeq; round++) {
              joiner.pull();
            }
            assertThat(pointer(joiner)).as("the joiner's pointer for the hub").isEqualTo(hubSeq);
            for (String table : ShopSchema.TABLES) {
              assertThat(ShopSchema.rows(joiner.db().dataSource(), table))
                  .as("%s on the new MariaDB client", table)
                  .isNotEmpty()
                  .isEqualTo(ShopSchema.rows(nodes.hub().db().dataSource(), table));
            }
            assertThat(joiner.deadLetters()).as("the joiner's dead letters").isZero();

            // a reload replaces the joiner's rows by the hub's: a row only it holds goes, after
            // the hub said its snapshot lacks it (MariaDB orders these keys otherwise)
            joiner.db().execute("INSERT INTO SEQ (NAME, VAL) VALUES ('X-only-here', 1)");
            Loader loader = nodes.joinerLoader(joiner);
            loader.reload();
            loader.run();
            for (String table : ShopSchema.TABLES) {
              assertThat(ShopSchema.rows(joiner.db().dataSource(), table))
                  .as("%s on the new MariaDB client after its reload", table)
                  .isEqualTo(ShopSchema.rows(nodes.hub().db().dataSource(), table));
            }
            assertThat(
                    NotesSchema.count(
                        joiner.db().dataSource(),
                        "SELECT COUNT(*) FROM ds_load WHERE state <> 'DONE'"))
                .as("tables of its load not done")
                .isZero();
          } finally {
            joiner.db().close();
          }
        });
  }

  private static long pointer(ShopClient client) {
    return client.syncNode().store().pointers("hub").lastProcessed();
  }

  private static void joinQuietly(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static ShopChecks checks() {
    return new ShopChecks(nodes, ledger);
  }

  private static String mariadbSetting(String name) {
    String[] value = new String[1];
    NotesSchema.query(mariadb(), "SELECT @@" + name, row -> value[0] = row.getString(1));
    return value[0];
  }

  private static List<String> mariadbTables() {
    List<String> tables = new ArrayList<>();
    NotesSchema.query(
        mariadb(),
        "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()",
        row -> tables.add(row.getString(1)));
    return tables;
  }

  private static DataSource mariadb() {
    return nodes.clients().stream()
        .filter(client -> client.db().kind().equals("mariadb"))
        .findFirst()
        .orElseThrow()
        .db()
        .dataSource();
  }

  /** Runs the test body and names the seed in whatever it throws. */
  private static void withSeed(Runnable body) {
    try {
      body.run();
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(
          "seed=" + SEED + " (replay with -Ddeltasync.seed=" + SEED + "): " + e.getMessage(), e);
    }
  }

  private static long seed() {
    String configured = System.getProperty("deltasync.seed");
    return configured == null || configured.isBlank()
        ? ThreadLocalRandom.current().nextLong()
        : Long.parseLong(configured.trim());
  }
}
