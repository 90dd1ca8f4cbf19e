package io.deltasync.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.capture.CaptureSettings;
import io.deltasync.delta.NameFilter;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.Note;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A client whose {@code stock} table lost most of its rows, holds rows the hub does not and has
 * rows changed behind DeltaSync's back reloads that table from a PostgreSQL hub, page by page,
 * while the application keeps incrementing counters ({@code qty = qty + 1}) and inserting rows on
 * both sides and a sync thread pushes and pulls: afterwards the table is equal on both in every
 * column, every counter holds exactly the increments that committed (none lost, none counted
 * twice), and the client's other tables are as they were. On an H2, a PostgreSQL and a MariaDB
 * client.
 */
class TableReloadIT {

  private static final int PAGE_ROWS = 60;
  private static final int HUB_ROWS = 1_200;
  private static final int KEPT = 400;
  private static final int CHANGED = 40;
  private static final int EXTRA = 5 + 150 + 130;

  @Test
  void anH2ClientReloadsATableItLostMostOfWhileBothSidesKeepCounting() throws Exception {
    reloadsUnderWrites(TestDatabases.h2("reload-a"));
  }

  @Test
  void aPostgresClientReloadsATableItLostMostOfWhileBothSidesKeepCounting() throws Exception {
    reloadsUnderWrites(TestDatabases.postgres("reload_a"));
  }

  @Test
  void aMariaDbClientReloadsATableItLostMostOfWhileBothSidesKeepCounting() throws Exception {
    reloadsUnderWrites(TestDatabases.mariadb("reload_a"));
  }

  @Test
  void anIncrementTheClientPullsRightAfterItsPageWasReadIsNotLost() {
    TestNode hub = TestNode.start("hub", TestDatabases.postgres("reload_race_hub"));
    TestNode client = TestNode.start("node-a", TestDatabases.h2("reload-race-a"));
    Map<Long, AtomicInteger> expected = stockOnTheHub(hub, 200);
    Stocks.install(client);
    client.node().sync(hub.node());
    client.db().execute("DELETE FROM stock WHERE MOD(id, 10000) <> 0");
    long raced = 70_000 + 1_000;
    CountingPages hubSide =
        new CountingPages(
            new HubVerifier(hub.db().dataSource(), "hub", NameFilter.ALL),
            2,
            () -> {
              int changed = Stocks.write(hub, stock -> stock.increment(raced));
              assertThat(changed).isOne();
              expected.get(raced).incrementAndGet();
              client.node().pull(hub.node()); // the client applies it before writing the page
            });
    Verifier verifier =
        new Verifier(
            client.db().dataSource(),
            "node-a",
            NameFilter.ALL,
            hubSide,
            CatchUp.syncing(client.node(), hub.node(), Duration.ofSeconds(30)),
            PAGE_ROWS);

    TableReloadReport reload = verifier.reloadTable("stock");

    assertThat(reload.skipped()).isEmpty();
    assertThat(hubSide.pages()).isEqualTo(reload.reloadedRanges() + 1);
    assertThat(reload.written()).isEqualTo(180);
    assertThat(Stocks.rows(client)).containsExactlyElementsOf(Stocks.rows(hub));
    assertThat(Stocks.quantities(client)).isEqualTo(counted(expected)).containsEntry(raced, 2);
  }

  private static void reloadsUnderWrites(TestDatabase clientDb) throws Exception {
    TestNode hub = TestNode.start("hub", TestDatabases.postgres("reload_hub"));
    TestNode client =
        TestNode.start(
                clientDb,
                new CaptureSettings("node-a", "hub", NameFilter.ALL, NameFilter.ALL, Set.of()))
            .withUpstream("hub");
    Map<Long, AtomicInteger> expected = stockOnTheHub(hub, HUB_ROWS);
    hub.inTransaction(notes -> notes.insert(new Note(1, "a note")) + notes.insert(new Note(2, "")));
    Stocks.install(client);
    client.node().sync(hub.node());
    client.db().execute("DELETE FROM stock WHERE MOD(id, 3000) <> 0");
    client
        .db()
        .execute("UPDATE stock SET qty = qty + 1000, name = 'changed' WHERE MOD(id, 30000) = 0");
    insertBehindTheBack(client, List.of(1_500L, 250_500L, 700_700L, 999_999L, 1_100_001L));
    insertBehindTheBack(client, range(600_001, 150)); // between two of the hub's keys
    insertBehindTheBack(client, range(9_000_001, 130)); // after the hub's last key
    client.db().execute("UPDATE note SET title = 'left alone' WHERE id = 2");
    List<String> clientNotes = client.notes();
    List<String> hubNotes = hub.notes();
    assertThat(Stocks.rows(client)).hasSize(KEPT + EXTRA);

    List<Long> counters = new ArrayList<>(expected.keySet());
    StockWriters writers = new StockWriters(hub, client, counters, expected);
    CountingPages hubSide =
        new CountingPages(new HubVerifier(hub.db().dataSource(), "hub", NameFilter.ALL));
    Verifier verifier =
        new Verifier(
            client.db().dataSource(),
            "node-a",
            NameFilter.ALL,
            hubSide,
            CatchUp.awaiting(client.node().store(), "hub", Duration.ofSeconds(60)),
            PAGE_ROWS);
    TableReloadReport reload;
    int[] before;
    int[] after;
    try {
      writers.start();
      writers.awaitIncrements(10);
      before = writers.increments();
      reload = verifier.reloadTable("stock");
      after = writers.increments();
      writers.awaitIncrements(after[0] + after[1] + 10);
    } finally {
      writers.stop();
    }
    client.node().sync(hub.node());

    String seen = reload + ", " + hubSide.pages() + " pages read, " + writers;
    assertThat(reload.skipped()).as(seen).isEmpty();
    assertThat(reload.written()).as(seen).isEqualTo(HUB_ROWS - KEPT + CHANGED);
    assertThat(reload.deleted()).as(seen).isEqualTo(EXTRA);
    assertThat(reload.reloadedRanges()).as(seen).isGreaterThan(HUB_ROWS / PAGE_ROWS);
    assertThat(after[0] - before[0]).as("hub increments during the reload").isPositive();
    assertThat(after[1] - before[1]).as("client increments during the reload").isPositive();
    assertThat(Stocks.rows(client)).containsExactlyElementsOf(Stocks.rows(hub));
    assertThat(Stocks.quantities(hub)).isEqualTo(counted(expected));
    assertThat(client.notes()).isEqualTo(clientNotes).isNotEqualTo(hubNotes);
    assertThat(hub.notes()).isEqualTo(hubNotes);
    assertThat(NotesSchema.count(hub.db().dataSource(), "SELECT COUNT(*) FROM ds_conflict"))
        .as("increments commute")
        .isZero();
  }

  /** Rows {@code 1000 * i} for i = 1..rows on the hub, written through MyBatis, and their qty. */
  private static Map<Long, AtomicInteger> stockOnTheHub(TestNode hub, int rows) {
    Stocks.install(hub);
    Map<Long, AtomicInteger> expected = new ConcurrentHashMap<>();
    Stocks.write(
        hub,
        stock -> {
          for (long id = 1_000; id <= 1_000L * rows; id += 1_000) {
            int qty = (int) (id / 1_000 % 7);
            stock.insert(id, "item " + id, qty);
            expected.put(id, new AtomicInteger(qty));
          }
          return null;
        });
    return expected;
  }

  private static Map<Long, Integer> counted(Map<Long, AtomicInteger> expected) {
    Map<Long, Integer> counted = new TreeMap<>();
    expected.forEach((id, qty) -> counted.put(id, qty.get()));
    return counted;
  }

  private static void insertBehindTheBack(TestNode node, List<Long> ids) {
    StringBuilder insert = new StringBuilder("INSERT INTO stock (id, name, qty) VALUES ");
    for (int i = 0; i < ids.size(); i++) {
      insert.append(i == 0 ? "" : ", ").append("(" + ids.get(i) + ", 'extra', 1)");
    }
    node.db().execute(insert.toString());
  }

  private static List<Long> range(long first, int count) {
    List<Long> ids = new ArrayList<>(count);
    for (long id = first; id < first + count; id++) {
      ids.add(id);
    }
    return ids;
  }
}
