package io.deltasync.verify;

import static io.deltasync.verify.VerifyFixture.kinds;
import static io.deltasync.verify.VerifyFixture.noteIds;
import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.delta.NameFilter;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.TestNode;
import io.deltasync.testing.Workload;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A hub on PostgreSQL with clients on H2 and MariaDB: rows changed, deleted and inserted directly
 * in a client's database are found by verify, exactly, and repair makes the client equal to the hub
 * without capturing anything.
 */
class VerifyRepairIT {

  private static TestNode hub;
  private static TestNode h2Client;
  private static TestNode mariaDbClient;

  @BeforeAll
  static void syncedNodes() {
    hub = TestNode.start("hub", TestDatabases.postgres("verify_hub"));
    h2Client = TestNode.start("node-a", TestDatabases.h2("verify-a"));
    mariaDbClient = TestNode.start("node-b", TestDatabases.mariadb("verify_b"));
    new Workload(7L, 1, false).run(h2Client, 300);
    new Workload(8L, 1_000_000, false).run(mariaDbClient, 300);
    h2Client.node().sync(hub.node());
    mariaDbClient.node().sync(hub.node());
    h2Client.node().pull(hub.node());
    assertThat(hub.notes()).hasSizeGreaterThan(3 * VerifyFixture.CHUNK_ROWS);
  }

  @Test
  void anEqualTableReportsNoDifferenceOnEitherDatabase() {
    for (TestNode client : List.of(h2Client, mariaDbClient)) {
      VerifyReport report = VerifyFixture.verifier(client, hub, NameFilter.ALL).verify("note");

      assertThat(report.inSync()).as(client.db().kind()).isTrue();
      assertThat(report.rows()).isEmpty();
      assertThat(report.ranges()).isGreaterThan(3);
      assertThat(report.nodeRows()).isEqualTo(hub.notes().size());
    }
  }

  @Test
  void findsAChangedADeletedAndAnExtraRowOnAnH2ClientAndRepairsThem() {
    findsAndRepairs(h2Client);
  }

  @Test
  void findsAChangedADeletedAndAnExtraRowOnAMariaDbClientAndRepairsThem() {
    findsAndRepairs(mariaDbClient);
  }

  @Test
  void aTableWithATwoColumnKeyIsCutComparedAndRepairedByBothColumns() {
    for (TestNode node : List.of(hub, mariaDbClient)) {
      node.db()
          .execute(
              "CREATE TABLE line_item (order_id BIGINT NOT NULL, line_no INT NOT NULL,"
                  + " qty INT NOT NULL, PRIMARY KEY (order_id, line_no))");
      for (int order = 1; order <= 30; order++) {
        StringBuilder insert = new StringBuilder("INSERT INTO line_item VALUES ");
        for (int line = 1; line <= 5; line++) {
          insert.append(line > 1 ? ", " : "").append("(" + order + ", " + line + ", " + line + ")");
        }
        node.db().execute(insert.toString());
      }
    }
    mariaDbClient.db().execute("UPDATE line_item SET qty = 99 WHERE order_id = 12 AND line_no = 3");
    mariaDbClient.db().execute("DELETE FROM line_item WHERE order_id = 20 AND line_no = 1");
    mariaDbClient.db().execute("INSERT INTO line_item VALUES (20, 6, 1)");
    Verifier verifier =
        new Verifier(
            mariaDbClient.db().dataSource(),
            "node-b",
            NameFilter.ALL,
            new HubVerifier(hub.db().dataSource(), "hub", NameFilter.ALL),
            hubSeq -> {},
            VerifyFixture.CHUNK_ROWS);

    VerifyReport report = verifier.verify("line_item");
    verifier.repair(report);

    assertThat(kinds(report))
        .containsExactly(
            "CHANGED line_item {line_no=3, order_id=12}",
            "EXTRA line_item {line_no=6, order_id=20}",
            "MISSING line_item {line_no=1, order_id=20}");
    assertThat(report.ranges()).isEqualTo(4);
    assertThat(verifier.verify("line_item").inSync()).isTrue();
    assertThat(lineItems(mariaDbClient)).isEqualTo(lineItems(hub)).hasSize(150);
  }

  /**
   * The same rows of a table keyed and labelled by {@code CHAR} columns, written on each database:
   * H2 and PostgreSQL read them back padded, MariaDB trimmed, and the keys mix upper and lower
   * case, which the databases sort differently; verify finds no difference.
   */
  @Test
  void paddedCharValuesAndKeysSortedByAnotherCollationAreNoDifference() {
    List<String> codes = new java.util.ArrayList<>();
    for (int n = 0; n < 130; n++) {
      String code = (char) ('a' + n % 26) + "x" + n;
      codes.add(n % 2 == 0 ? code.toUpperCase(java.util.Locale.ROOT) : code);
    }
    for (TestNode node : List.of(hub, h2Client, mariaDbClient)) {
      node.db()
          .execute("CREATE TABLE bin (code CHAR(8) PRIMARY KEY, label CHAR(12), qty INT NOT NULL)");
      StringBuilder insert = new StringBuilder("INSERT INTO bin VALUES ");
      for (int n = 0; n < codes.size(); n++) {
        insert
            .append(n > 0 ? ", " : "")
            .append("('" + codes.get(n) + "', 'shelf " + n % 7 + "', " + n + ")");
      }
      node.db().execute(insert.toString());
    }

    for (TestNode client : List.of(h2Client, mariaDbClient)) {
      VerifyReport report = VerifyFixture.verifier(client, hub, NameFilter.ALL).verify("bin");

      assertThat(kinds(report)).as(client.db().kind()).isEmpty();
      assertThat(report.ranges()).as(client.db().kind()).isGreaterThan(2);
    }
  }

  private static List<String> lineItems(TestNode node) {
    List<String> rows = new java.util.ArrayList<>();
    io.deltasync.testing.NotesSchema.query(
        node.db().dataSource(),
        "SELECT order_id, line_no, qty FROM line_item ORDER BY order_id, line_no",
        row -> rows.add(row.getLong(1) + "/" + row.getInt(2) + "=" + row.getInt(3)));
    return rows;
  }

  private static void findsAndRepairs(TestNode client) {
    List<Long> ids = noteIds(client);
    long changed = ids.get(ids.size() / 3);
    long deleted = ids.get(2 * ids.size() / 3);
    long extra = 5_000_000L + ids.size();
    client.db().execute("UPDATE note SET title = 'changed behind the back' WHERE id = " + changed);
    client.db().execute("DELETE FROM note WHERE id = " + deleted);
    VerifyFixture.insertBehindTheBack(client, extra, "extra");
    long deltasBefore = client.deltaCount();
    Verifier verifier = VerifyFixture.verifier(client, hub, NameFilter.ALL);

    VerifyReport report = verifier.verify("note");

    assertThat(kinds(report))
        .containsExactly(
            "CHANGED note {id=" + changed + "}",
            "EXTRA note {id=" + extra + "}",
            "MISSING note {id=" + deleted + "}");
    assertThat(report.differingRanges()).hasSizeBetween(2, 3);
    assertThat(client.notes()).isNotEqualTo(hub.notes());

    RepairReport repair = verifier.repair(report);

    assertThat(repair.skipped()).isEmpty();
    assertThat(repair.written()).isEqualTo(2);
    assertThat(repair.deleted()).isEqualTo(1);
    assertThat(client.notes()).containsExactlyElementsOf(hub.notes());
    assertThat(client.deltaCount()).isEqualTo(deltasBefore);
    assertThat(verifier.verify("note").inSync()).isTrue();
  }
}
