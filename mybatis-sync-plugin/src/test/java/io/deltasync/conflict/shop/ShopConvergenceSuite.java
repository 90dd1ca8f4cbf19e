package io.deltasync.conflict.shop;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.delta.NameFilter;
import io.deltasync.schema.TestDatabase;
import io.deltasync.verify.CatchUp;
import io.deltasync.verify.HubVerifier;
import io.deltasync.verify.Verifier;
import io.deltasync.verify.VerifyReport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A shop application synced as the README shows, with only default settings: a hub built as {@code
 * new SyncNode("hub", dataSource, NameFilter.ALL)} and two clients, pushing and pulling in-process
 * at the moments each test chooses. Each test works on rows of its own; after each, all three
 * databases are equal and hold no dead letter. One subclass per mix of databases.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ShopConvergenceSuite {

  private static final AtomicLong IDS = new AtomicLong(1000);

  private ShopNode hub;
  private ShopNode a;
  private ShopNode b;

  abstract TestDatabase hubDatabase();

  abstract TestDatabase clientADatabase();

  abstract TestDatabase clientBDatabase();

  @BeforeAll
  void startNodes() {
    hub = ShopNode.start("hub", null, hubDatabase());
    a = ShopNode.start("client-a", "hub", clientADatabase());
    b = ShopNode.start("client-b", "hub", clientBDatabase());
  }

  @AfterEach
  void everyNodeEndsEqualWithNoDeadLetter() {
    settle();
    assertThat(a.dump()).isEqualTo(hub.dump());
    assertThat(b.dump()).isEqualTo(hub.dump());
    for (ShopNode node : List.of(hub, a, b)) {
      assertThat(node.count("SELECT COUNT(*) FROM ds_dead_letter")).as(node.id()).isZero();
    }
  }

  @Test
  void bothClientsSellingTheSameItemKeepEverySale() {
    long item = newItem(100);

    a.write(shop -> shop.sell(item, 3));
    b.write(shop -> shop.sell(item, 5));
    push(a, b);
    settle();

    assertThat(List.of(qty(hub, item), qty(a, item), qty(b, item))).containsOnly(92);
    assertThat(conflictsOn("item", item)).isZero();
  }

  @Test
  void anAbsoluteCountRacingASaleIsAConflictTheDefaultPolicyDecides() {
    long item = newItem(100);

    a.write(shop -> shop.count(item, 50));
    b.write(shop -> shop.sell(item, 5));
    push(a, b);
    settle();

    assertThat(conflictsOn("item", item)).isEqualTo(1);
    assertThat(List.of(qty(hub, item), qty(a, item), qty(b, item))).containsOnly(50);
  }

  @Test
  void theWinnersValueEchoedBackIsNoConflictForTheWinner() {
    String sequence = "order-" + IDS.incrementAndGet();
    hub.write(shop -> shop.addSequence(sequence, 1000));
    settle();

    a.write(shop -> shop.setSequence(sequence, 1001));
    push(a);
    b.write(shop -> shop.setSequence(sequence, 2001));
    push(b); // a conflict: server-wins keeps 1001 and sends its image
    a.write(shop -> shop.setSequence(sequence, 1002)); // a has not pulled the image yet
    push(a);
    settle();

    assertThat(List.of(sequence(hub, sequence), sequence(a, sequence), sequence(b, sequence)))
        .containsOnly(1002L);
    assertThat(conflictsOn("seq", sequence)).isEqualTo(1);
  }

  @Test
  void clientsEditingDifferentColumnsOfOneRowBothKeepTheirEdit() {
    long account = newAccount();

    a.write(shop -> shop.changeEmail(account, "new@example.com"));
    b.write(shop -> shop.changeAddress(account, "2 New Street"));
    push(a, b);
    settle();

    assertThat(hub.dump()).contains("ACCOUNT " + account + " new@example.com 2 New Street");
    assertThat(conflictsOn("account", account)).isZero();
  }

  @Test
  void clientsEditingTheSameColumnConvergeOnTheDefaultPolicy() {
    long account = newAccount();

    a.write(shop -> shop.changeEmail(account, "a@example.com"));
    b.write(shop -> shop.changeEmail(account, "b@example.com"));
    push(a, b);
    settle();

    assertThat(conflictsOn("account", account)).isEqualTo(1);
    assertThat(hub.dump()).contains("ACCOUNT " + account + " a@example.com 1 Old Street");
  }

  @Test
  void cachedReadsSeeWhatAPullChanged() {
    long item = newItem(40);
    assertThat(a.<Integer>read(shop -> shop.qty(item))).isEqualTo(40); // now in a's cache

    b.write(shop -> shop.sell(item, 7));
    push(b);
    a.node().pull(hub.node());

    assertThat(a.<Integer>read(shop -> shop.qty(item))).isEqualTo(33);
  }

  @Test
  void verifyFindsAndRepairsRowsChangedBehindDeltaSyncsBackInUpperCaseTables() {
    long changed = newItem(10);
    long deleted = newItem(20);
    b.db().execute("UPDATE ITEM SET QTY = 999 WHERE ID = " + changed);
    b.db().execute("DELETE FROM ITEM WHERE ID = " + deleted);
    Verifier verifier =
        new Verifier(
            b.db().dataSource(),
            b.id(),
            NameFilter.ALL,
            new HubVerifier(hub.db().dataSource(), hub.id(), NameFilter.ALL),
            CatchUp.syncing(b.node(), hub.node(), Duration.ofSeconds(30)),
            Verifier.DEFAULT_CHUNK_ROWS);

    VerifyReport report = verifier.verify("item");

    assertThat(report.rows())
        .extracting(row -> row.kind() + " " + row.key().values().get("id"))
        .containsExactlyInAnyOrder("CHANGED " + changed, "MISSING " + deleted);
    verifier.repair(report);
    assertThat(b.dump()).isEqualTo(hub.dump());
    assertThat(verifier.verify("item").rows()).isEmpty();
  }

  private long newItem(int qty) {
    long id = IDS.incrementAndGet();
    hub.write(shop -> shop.addItem(id, "item " + id, qty));
    settle();
    return id;
  }

  private long newAccount() {
    long id = IDS.incrementAndGet();
    hub.write(shop -> shop.addAccount(id, "old@example.com", "1 Old Street"));
    settle();
    return id;
  }

  private void push(ShopNode... clients) {
    for (ShopNode client : clients) {
      client.node().push(hub.node());
    }
  }

  private void settle() {
    for (int round = 0; round < 2; round++) {
      for (ShopNode client : List.of(a, b)) {
        client.node().push(hub.node());
        client.node().pull(hub.node());
      }
    }
  }

  private static int qty(ShopNode node, long item) {
    return (int) node.count("SELECT QTY FROM ITEM WHERE ID = " + item);
  }

  private static long sequence(ShopNode node, String name) {
    return node.count("SELECT VAL FROM SEQ WHERE NAME = '" + name + "'");
  }

  private long conflictsOn(String table, Object key) {
    return hub.count(
        "SELECT COUNT(*) FROM ds_conflict WHERE table_name = '"
            + table
            + "' AND row_key LIKE '%"
            + key
            + "%'");
  }
}
