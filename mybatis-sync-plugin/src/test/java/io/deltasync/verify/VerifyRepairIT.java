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
