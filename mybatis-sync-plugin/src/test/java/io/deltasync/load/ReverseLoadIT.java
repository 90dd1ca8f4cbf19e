package io.deltasync.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.conflict.Row;
import io.deltasync.delta.NameFilter;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.ReverseRows;
import io.deltasync.testing.TestNode;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Reverse load: a client that held rows before it joined (written without DeltaSync, as by an
 * offline app installed before sync) sends them to its hub, per table {@code client-wins}, {@code
 * hub-wins} or {@code refuse}, then loads from the hub. Hub and client both hold rows 2 and 5 with
 * other values in several columns, row 1 equal, row 3 only on the hub, rows 4 and 6 and an
 * audit_log row only on the client. Every column of every row is compared on the hub, the client
 * and a third node that was synced with the hub before; H2, PostgreSQL and MariaDB each play hub,
 * client and third node once.
 */
class ReverseLoadIT {

  private static final int CHUNK = 2;

  @Test
  void clientWinsOverwritesTheHubsDifferingRowsAndTheThirdNodeReceivesThem() {
    Nodes nodes =
        Nodes.start(
            TestDatabases.postgres("rev_cw_hub"),
            TestDatabases.mariadb("rev_cw_client"),
            TestDatabases.h2("rev-cw-third"));
    List<String> hubBefore = nodes.hub.notes();
    List<String> clientBefore = nodes.client.notes();
    assertThat(nodes.client.deltaCount()).as("written before sync was enabled").isZero();

    Loader crashing =
        nodes.loader(
            failingOnApply(nodes.snapshots, 3), ReverseChoices.all(ReverseChoice.CLIENT_WINS));
    assertThatThrownBy(crashing::run).hasMessageContaining("connection lost");
    Loader loader = nodes.loader(nodes.snapshots, ReverseChoices.all(ReverseChoice.CLIENT_WINS));
    assertThat(loader.pending()).isTrue();
    loader.run();
    nodes.settle();

    List<String> expected = ReverseRows.merged(hubBefore, clientBefore);
    assertThat(ReverseRows.line(expected, 2)).startsWith("2|client two|client body|false|2.50|");
    assertThat(ReverseRows.line(expected, 5)).startsWith("5|client five|null|true|");
    assertThat(expected).hasSize(6);
    nodes.assertEverywhere(expected, 1);
    assertThat(imagesOfNote(nodes.hub))
        .as("rows 2, 4, 5 and 6 captured once each, the chunk re-sent after the crash too")
        .isEqualTo(4);
  }

  @Test
  void hubWinsAddsOnlyTheClientsNewRowsAndTheClientTakesTheHubsVersions() {
    Nodes nodes =
        Nodes.start(
            TestDatabases.h2("rev-hw-hub"),
            TestDatabases.postgres("rev_hw_client"),
            TestDatabases.mariadb("rev_hw_third"));
    List<String> hubBefore = nodes.hub.notes();
    List<String> clientBefore = nodes.client.notes();

    Loader loader = nodes.loader(nodes.snapshots, ReverseChoices.all(ReverseChoice.HUB_WINS));
    loader.run();
    nodes.settle();

    List<String> expected = ReverseRows.merged(clientBefore, hubBefore);
    assertThat(ReverseRows.line(expected, 2)).startsWith("2|hub two|null|false|2.00|");
    assertThat(ReverseRows.line(expected, 5)).startsWith("5|hub five|hub body|false|");
    assertThat(ReverseRows.line(expected, 4)).startsWith("4|client four|");
    assertThat(expected).hasSize(6);
    nodes.assertEverywhere(expected, 1);
    assertThat(imagesOfNote(nodes.hub)).as("rows 4 and 6 only").isEqualTo(2);
  }

  @Test
  void refuseStopsNamingTheTableAndADifferingKeyWithNothingApplied() {
    Nodes nodes =
        Nodes.start(
            TestDatabases.mariadb("rev_rf_hub"),
            TestDatabases.h2("rev-rf-client"),
            TestDatabases.postgres("rev_rf_third"));
    List<String> hubBefore = nodes.hub.notes();
    List<String> clientBefore = nodes.client.notes();
    long hubDeltas = nodes.hub.deltaCount();
    // audit_log comes first and would be taken; refuse on note must stop it too
    Loader loader =
        nodes.loader(
            nodes.snapshots,
            new ReverseChoices(
                ReverseChoice.REFUSE, Map.of("audit_log", ReverseChoice.CLIENT_WINS)));

    assertThat(loader.pending()).isTrue();
    assertThatThrownBy(loader::run)
        .isInstanceOf(LoadException.class)
        .hasMessageContaining("refused the reverse load of table note from node-c")
        .hasMessageContaining("row {id=2} differs between node-c and hub")
        .hasMessageContaining("nothing of note was applied");

    assertThat(nodes.hub.notes()).isEqualTo(hubBefore);
    assertThat(nodes.client.notes()).isEqualTo(clientBefore);
    assertThat(count(nodes.hub, "SELECT COUNT(*) FROM audit_log")).isZero();
    assertThat(nodes.hub.deltaCount()).isEqualTo(hubDeltas);
    assertThat(count(nodes.client, "SELECT COUNT(*) FROM ds_load")).isZero();
    assertThat(loader.pending()).as("tried again, it is refused again").isTrue();
  }

  @Test
  void aHubThatDoesNotAcceptClientWinsRefusesItNamingWhatItAcceptsWithNothingApplied() {
    Nodes nodes =
        Nodes.start(
            TestDatabases.h2("rev-acc-hub"),
            TestDatabases.h2("rev-acc-client"),
            TestDatabases.h2("rev-acc-third"));
    List<String> hubBefore = nodes.hub.notes();
    long hubDeltas = nodes.hub.deltaCount();
    HubSnapshots keeping =
        new HubSnapshots(
            nodes.hub.db().dataSource(),
            "hub",
            NameFilter.ALL,
            nodes.hub.node().store()::incarnation,
            Duration.ofMinutes(5),
            EnumSet.of(ReverseChoice.HUB_WINS, ReverseChoice.REFUSE));
    Loader loader = nodes.loader(keeping, ReverseChoices.all(ReverseChoice.CLIENT_WINS));

    assertThatThrownBy(loader::run)
        .isInstanceOf(LoadException.class)
        .hasMessageContaining(
            "hub takes no client-wins reverse load, only [hub-wins, refuse]"
                + " (deltasync.load.reverse.accept)");

    assertThat(nodes.hub.notes()).isEqualTo(hubBefore);
    assertThat(count(nodes.hub, "SELECT COUNT(*) FROM audit_log")).isZero();
    assertThat(nodes.hub.deltaCount()).isEqualTo(hubDeltas);
    keeping.close();
    nodes.snapshots.close();
  }

  @Test
  void aHostileClientCannotReverseLoadATableTheHubDoesNotReplicateNorAnUnknownColumn() {
    TestNode hub = TestNode.start("hub", TestDatabases.postgres("rev_hostile_hub"));
    hub.db().execute("CREATE TABLE payroll (id BIGINT PRIMARY KEY, salary INT)");
    hub.db().execute("INSERT INTO payroll (id, salary) VALUES (1, 1000)");
    HubSnapshots snapshots =
        new HubSnapshots(
            hub.db().dataSource(),
            "hub",
            NameFilter.of(null, "payroll"),
            hub.node().store()::incarnation,
            Duration.ofMinutes(5));
    long deltas = hub.deltaCount();
    Row raise = row("id", 1L, "salary", 1_000_000);

    for (String table : List.of("payroll", "ds_node_pointer", "databasechangelog")) {
      assertThatThrownBy(
              () ->
                  snapshots.reverse(
                      "node-x",
                      new ReverseChunk(table, ReverseChoice.CLIENT_WINS, true, List.of(raise))))
          .isInstanceOf(LoadException.class)
          .hasMessageContaining("refused the reverse load of table " + table + " from node-x")
          .hasMessageContaining("hub does not replicate a table " + table);
    }
    assertThatThrownBy(
            () ->
                snapshots.reverse(
                    "node-x",
                    new ReverseChunk(
                        "note",
                        ReverseChoice.CLIENT_WINS,
                        true,
                        List.of(row("id", 9L, "title", "x", "salary", 5)))))
        .hasMessageContaining("hub's table note has no column salary");

    assertThat(count(hub, "SELECT salary FROM payroll WHERE id = 1")).isEqualTo(1000);
    assertThat(hub.notes()).isEmpty();
    assertThat(hub.deltaCount()).isEqualTo(deltas);
    snapshots.close();
  }

  /** A hub, a client holding rows written without DeltaSync, and a third node synced before. */
  private record Nodes(TestNode hub, TestNode client, TestNode third, HubSnapshots snapshots) {

    static Nodes start(TestDatabase hubDb, TestDatabase clientDb, TestDatabase thirdDb) {
      TestNode hub = TestNode.start("hub", hubDb);
      TestNode third = TestNode.start("node-t", thirdDb).withUpstream("hub");
      TestNode client = TestNode.start("node-c", clientDb).withUpstream("hub");
      ReverseRows.writeOnHub(hub);
      third.node().pull(hub.node());
      ReverseRows.writeOffline(client);
      HubSnapshots snapshots =
          new HubSnapshots(
              hubDb.dataSource(),
              "hub",
              NameFilter.ALL,
              hub.node().store()::incarnation,
              Duration.ofMinutes(5));
      return new Nodes(hub, client, third, snapshots);
    }

    Loader loader(LoadSource source, ReverseChoices choices) {
      return new Loader(
          client.db().dataSource(),
          "node-c",
          NameFilter.ALL,
          source,
          CHUNK,
          Loader.Reload.AUTO,
          choices);
    }

    /** The client pulls after its load, the third node pulls what the hub took. */
    void settle() {
      client.node().pull(hub.node());
      third.node().pull(hub.node());
      snapshots.close();
    }

    void assertEverywhere(List<String> notes, long auditRows) {
      for (TestNode node : List.of(hub, client, third)) {
        assertThat(node.notes()).as(node.node().nodeId() + "'s notes").isEqualTo(notes);
        assertThat(count(node, "SELECT COUNT(*) FROM audit_log WHERE message = 'kept offline'"))
            .as(node.node().nodeId() + "'s audit_log")
            .isEqualTo(auditRows);
        assertThat(count(node, "SELECT COUNT(*) FROM ds_dead_letter")).isZero();
      }
    }
  }

  private static long imagesOfNote(TestNode hub) {
    return count(
        hub,
        "SELECT COUNT(*) FROM ds_delta WHERE statement_id = 'deltasync.rowImage'"
            + " AND table_name = 'note'");
  }

  private static long count(TestNode node, String sql) {
    return NotesSchema.count(node.db().dataSource(), sql);
  }

  private static Row row(Object... columnsAndValues) {
    Map<String, Param> values = new LinkedHashMap<>();
    for (int i = 0; i < columnsAndValues.length; i += 2) {
      Object value = columnsAndValues[i + 1];
      ParamType type =
          value instanceof Long
              ? ParamType.LONG
              : value instanceof Integer ? ParamType.INT : ParamType.STRING;
      values.put((String) columnsAndValues[i], new Param(type, value));
    }
    return new Row(values);
  }

  /** The hub, but the connection drops at the given chunk to apply. */
  private static LoadSource failingOnApply(HubSnapshots snapshots, int chunk) {
    AtomicInteger applied = new AtomicInteger();
    return new ForwardingLoadSource(snapshots) {
      @Override
      public ReverseResult reverse(String requester, ReverseChunk sent) {
        if (sent.apply() && applied.incrementAndGet() == chunk) {
          throw new LoadException("connection lost before applying chunk " + chunk);
        }
        return super.reverse(requester, sent);
      }
    };
  }
}
