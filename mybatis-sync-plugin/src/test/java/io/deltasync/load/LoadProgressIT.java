package io.deltasync.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.deltasync.delta.NameFilter;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node's load progress read between chunks (where a load may stop) from its own database, while
 * an H2 node loads from a PostgreSQL hub that counts each table's rows in its snapshot: tables and
 * rows done against the hub's totals, the table in progress, a rate and a time left; after the
 * load, done. A hub that does not say its totals gives no time left; a reload held for an operator
 * shows with its reason.
 */
class LoadProgressIT {

  private static final int CHUNK = 23;

  @AutoClose private static LoadHub loadHub;
  private static TestNode hub;
  private static HubSnapshots snapshots;

  @BeforeAll
  static void startHub() {
    loadHub =
        LoadHub.seeded(
            TestDatabases.postgres("progress_hub"),
            TestNode.start("node-a", TestDatabases.h2("progress-writer")).withUpstream("hub"),
            7L,
            600);
    hub = loadHub.node();
    snapshots = loadHub.snapshots();
  }

  @Test
  void betweenChunksTheProgressCountsRowsAndTablesAgainstTheHubsTotalsWithARateAndTimeLeft() {
    TestNode node = TestNode.start("node-p", TestDatabases.h2("progress-run")).withUpstream("hub");
    Loader loader = new Loader(node.db().dataSource(), "node-p", NameFilter.ALL, snapshots, CHUNK);
    assertThat(loader.progress()).as("before any load").isEmpty();
    List<LoadProgress> seen = new ArrayList<>();
    List<Long> held = new ArrayList<>();

    loader.run(
        () -> {
          seen.add(loader.progress().orElseThrow());
          held.add(rowsOn(node));
          return true;
        });

    long total = hubCount("note") + hubCount("ticket") + hubCount("audit_log");
    assertThat(seen).hasSizeGreaterThan(total > 0 ? (int) (total / CHUNK) : 0);
    long before = -1;
    for (int i = 0; i < seen.size(); i++) {
      LoadProgress now = seen.get(i);
      assertThat(now.state()).isEqualTo(LoadProgress.State.LOADING);
      assertThat(now.tablesTotal()).isEqualTo(3);
      assertThat(now.rowsTotal()).isEqualTo(total);
      assertThat(now.rowsLoaded()).isGreaterThanOrEqualTo(before).isLessThanOrEqualTo(total);
      assertThat(now.rowsLoaded()).as("what the node's tables hold by now").isEqualTo(held.get(i));
      before = now.rowsLoaded();
    }
    assertThat(seen.stream().map(LoadProgress::currentTable).distinct())
        .as("tables in name order")
        .containsExactly("audit_log", "note", "ticket");
    LoadProgress midway =
        seen.stream().filter(now -> now.rowsLoaded() > 0).findFirst().orElseThrow();
    assertThat(midway.rowsPerSecond()).isPositive();
    assertThat(midway.secondsLeft()).isNotNull().isNotNegative();
    assertThat(midway.startedAt()).isNotNull().isBeforeOrEqualTo(midway.updatedAt());

    LoadProgress done = loader.progress().orElseThrow();
    assertThat(done.state()).isEqualTo(LoadProgress.State.DONE);
    assertThat(done.tablesDone()).isEqualTo(3);
    assertThat(done.currentTable()).isNull();
    assertThat(done.rowsLoaded()).isEqualTo(total);
    assertThat(done.secondsLeft()).isNull();
    assertThat(done.tables())
        .extracting(LoadProgress.Table::table, LoadProgress.Table::rowsLoaded)
        .containsExactly(
            tuple("audit_log", hubCount("audit_log")),
            tuple("note", hubCount("note")),
            tuple("ticket", hubCount("ticket")));
    assertThat(new LoadProgressReader(node.db().dataSource(), "node-p").read())
        .as("the same from the database alone")
        .containsExactly(done);
  }

  @Test
  void aStoppedLoadFromAHubThatGivesNoTotalsShowsWhereItStoppedAndNoTimeLeft() {
    TestNode node =
        TestNode.start("node-o", TestDatabases.h2("progress-old-hub")).withUpstream("hub");
    LoadSource olderHub =
        new ForwardingLoadSource(snapshots) {
          @Override
          public LoadStart open(String requester, List<String> tables) {
            LoadStart start = super.open(requester, tables);
            return new LoadStart(
                start.loadId(), start.snapshotSeq(), start.incarnation(), start.tables());
          }
        };
    Loader loader = new Loader(node.db().dataSource(), "node-o", NameFilter.ALL, olderHub, CHUNK);
    int[] chunks = {0};

    assertThatThrownBy(() -> loader.run(() -> chunks[0]++ < 3))
        .isInstanceOf(LoadException.class)
        .hasMessageContaining("it resumes from there");

    LoadProgress stopped = loader.progress().orElseThrow();
    assertThat(stopped.state()).isEqualTo(LoadProgress.State.LOADING);
    assertThat(stopped.rowsLoaded()).isEqualTo(rowsOn(node)).isPositive();
    assertThat(stopped.currentTable()).isEqualTo("note");
    assertThat(stopped.rowsTotal()).isNull();
    assertThat(stopped.secondsLeft()).isNull();
    assertThat(stopped.summary()).contains("no time left estimated");
    assertThat(stopped.tables()).allSatisfy(table -> assertThat(table.rowsTotal()).isNull());
  }

  @Test
  void aReloadHeldForAnOperatorShowsWithItsReasonAndThenAsDue() {
    TestNode node = TestNode.start("node-q", TestDatabases.h2("progress-held")).withUpstream("hub");
    Loader loader = loadHub.loader(node, CHUNK, Loader.Reload.MANUAL);
    loader.run();

    loader.reloadNeeded("the hub purged deltas up to seq 99 that node-q never got");

    LoadProgress held = loader.progress().orElseThrow();
    assertThat(held.state()).isEqualTo(LoadProgress.State.HELD);
    assertThat(held.reason()).contains("purged deltas up to seq 99");
    assertThat(held.tablesDone()).as("the last load's tables stay shown").isEqualTo(3);
    loader.reload();
    assertThat(loader.progress().orElseThrow().state()).isEqualTo(LoadProgress.State.RELOAD_DUE);
    loader.run();
    assertThat(loader.progress().orElseThrow().state()).isEqualTo(LoadProgress.State.DONE);
  }

  /** The rows the node's loaded tables hold: all came from the load. */
  private static long rowsOn(TestNode node) {
    long rows = 0;
    for (String table : List.of("audit_log", "note", "ticket")) {
      rows += NotesSchema.count(node.db().dataSource(), "SELECT COUNT(*) FROM " + table);
    }
    return rows;
  }

  private static long hubCount(String table) {
    return NotesSchema.count(hub.db().dataSource(), "SELECT COUNT(*) FROM " + table);
  }
}
