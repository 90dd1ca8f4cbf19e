package io.deltasync.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.deltasync.delta.NameFilter;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.Note;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import io.deltasync.testing.Workload;
import io.deltasync.verify.CatchUp;
import io.deltasync.verify.HubVerifier;
import io.deltasync.verify.Verifier;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Loads in a tree: {@code mid} is a client of the top hub ({@code hub}, PostgreSQL, which lists it
 * as a relay) and the hub of {@code leaf} (H2). Mid (MariaDB) is installed and its client writes
 * through it before mid first reaches the top hub, which already holds rows of its own. Mid still
 * takes the top hub's initial load, keeping the rows its client wrote, passes their deltas on
 * after, and has its client reload from it in turn, since what the load brought reaches the client
 * by no delta: all three end equal, each delta applied once. A later reload of mid keeps what its
 * client wrote that mid had not passed on yet, and again has the client reload.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TreeLoadIT {

  private static final int CHUNK = 50;
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static LoadHub top;
  private static LoadHub midHub;
  private static TestNode mid;
  private static TestNode leaf;
  private static Loader midLoader;
  private static Loader leafLoader;

  @BeforeAll
  static void startTree() {
    TestNode writer = TestNode.start("node-a", TestDatabases.h2("tree-a")).withUpstream("hub");
    top = LoadHub.of(TestNode.start("hub", TestDatabases.postgres("tree_top")).withRelays("mid"));
    new Workload(41L, 1, false).run(writer, 200);
    writer.node().sync(top.node().node());
    top.node().db().execute("INSERT INTO audit_log (id, message) VALUES (1, 'written on the hub')");
    mid = TestNode.start("mid", TestDatabases.mariadb("tree_mid")).withUpstream("hub");
    midHub = LoadHub.of(mid);
    leaf = TestNode.start("leaf", TestDatabases.h2("tree-leaf")).withUpstream("mid");
    midLoader = top.loader(mid, CHUNK, Loader.Reload.AUTO);
    leafLoader = midHub.loader(leaf, CHUNK, Loader.Reload.AUTO);
  }

  @AfterAll
  static void stopTree() {
    if (midHub != null) {
      midHub.close();
    }
    if (top != null) {
      top.close();
    }
  }

  @Test
  @Order(1)
  void aHubThatItsClientReachedFirstLoadsFromItsHubAndItsClientReloadsFromIt() {
    assertThat(leafLoader.pending()).as("a new node").isTrue();
    leafLoader.run(); // from mid, which holds nothing yet
    write(leaf, 7_000_000);
    leaf.node().sync(mid.node());
    List<String> written = leaf.notes();
    assertThat(mid.notes()).isEqualTo(written);

    assertThat(midLoader.pending())
        .as("it takes the top hub's load, though it holds deltas of its client")
        .isTrue();
    midLoader.run();
    assertThat(mid.notes()).containsAll(written).containsAll(top.node().notes());
    mid.node().sync(top.node().node()); // passes its client's deltas on
    assertThat(top.node().notes()).isEqualTo(mid.notes());

    leafReloadsFromMid();
    assertAllEqual();
  }

  @Test
  @Order(2)
  void aReloadOfThatHubKeepsWhatItsClientWroteThatItHadNotPassedOnAndItsClientReloadsAgain() {
    write(leaf, 7_100_000);
    leaf.node().sync(mid.node()); // mid holds them, and has not pushed them to the top hub
    List<String> written = leaf.notes();

    midLoader.reload();
    midLoader.run();
    assertThat(mid.notes())
        .as("its client's writes not passed on yet are kept")
        .containsAll(written);
    mid.node().sync(top.node().node());

    leafReloadsFromMid();
    assertAllEqual();
    assertThat(top.node().notes()).containsAll(written);
  }

  @Test
  @Order(3)
  void aTableThatHubReloadsOrRepairsFromItsHubIsReloadedByItsClientInTurn() {
    HubReloads asked = new HubReloads(mid.db().dataSource(), "mid", NameFilter.ALL, "hub");
    Verifier midVerifier =
        verifier(mid, top.node(), CatchUp.syncing(mid.node(), top.node().node(), WAIT));
    Verifier leafVerifier = verifier(leaf, mid, CatchUp.syncing(leaf.node(), mid.node(), WAIT));
    // mid and leaf both lost rows behind DeltaSync's back, which only a reload or repair brings
    // back
    for (TestNode node : List.of(mid, leaf)) {
      node.db().execute("DELETE FROM note WHERE id > 7000000 AND id <= 7000004");
      node.db().execute("DELETE FROM audit_log");
    }

    assertThat(midVerifier.reloadTable("ticket").written())
        .as("nothing to change: its client is not asked")
        .isZero();
    assertThat(asked.tableReloads()).isEmpty();
    assertThat(midVerifier.reloadTable("note").written()).isEqualTo(4);
    assertThat(midVerifier.repair(midVerifier.verify("audit_log")).written()).isEqualTo(1);

    assertThat(asked.tableReloads())
        .extracting(
            TableReloadRequest::peer, TableReloadRequest::table, TableReloadRequest::requestedBy)
        .containsExactlyInAnyOrder(
            tuple("leaf", "note", "mid, which reloaded it from hub"),
            tuple("leaf", "audit_log", "mid, which repaired it from hub"));
    for (TableReloadRequest request : asked.tableReloads()) {
      leafVerifier.reloadTable(request.table()); // what the leaf does when told, over any route
      asked.tableReloadEnded("leaf", request.id(), null);
    }
    assertAllEqual();
    assertThat(asked.tableReloads()).isEmpty();
  }

  @Test
  @Order(4)
  void aRepairOfThatHubLeavesARowItsClientChangedThatItHasNotPassedOnYet() {
    leaf.inTransaction(notes -> notes.update(new Note(7_000_001, "changed again at the leaf")));
    leaf.node().sync(mid.node()); // mid holds the change, and has not pushed it to the top hub
    List<String> changed = mid.notes();
    // catching up by pulling only, as a pull route does: mid's unsent change stays unsent
    Verifier midVerifier =
        verifier(
            mid,
            top.node(),
            hubSeq -> {
              while (mid.node().store().pointers("hub").lastProcessed() < hubSeq) {
                mid.node().pull(top.node().node());
              }
            });

    var report = midVerifier.verify("note");
    assertThat(report.inSync()).as("the top hub lacks the change yet").isFalse();
    var repair = midVerifier.repair(report);

    assertThat(repair.written()).as("not written backwards over the change").isZero();
    assertThat(repair.skipped()).hasSize(1);
    assertThat(mid.notes()).isEqualTo(changed);
    mid.node().sync(top.node().node());
    assertThat(midVerifier.verify("note").inSync()).isTrue();
    leaf.node().sync(mid.node());
    assertAllEqual();
  }

  /** The node's verifier against its hub, which answers from its own database. */
  private static Verifier verifier(TestNode node, TestNode hub, CatchUp catchUp) {
    return new Verifier(
        node.db().dataSource(),
        node.node().nodeId(),
        NameFilter.ALL,
        new HubVerifier(hub.db().dataSource(), hub.node().nodeId(), NameFilter.ALL),
        catchUp);
  }

  /** Mid refuses leaf's next pull, saying why; leaf reloads and pulls again. */
  private static void leafReloadsFromMid() {
    ReloadNeededException refused =
        catchThrowableOfType(ReloadNeededException.class, () -> leaf.node().pull(mid.node()));
    assertThat(refused).as("mid asks leaf to reload in turn").isNotNull();
    assertThat(refused.getMessage())
        .startsWith("mid reloaded its tables from hub (load ")
        .contains("what that changed reaches leaf by no delta");
    leafLoader.reloadNeeded(refused.getMessage());
    assertThat(leafLoader.pending()).isTrue();
    leafLoader.run();
    leaf.node().sync(mid.node());
  }

  private static void assertAllEqual() {
    for (TestNode node : List.of(mid, leaf)) {
      assertThat(node.notes()).isEqualTo(top.node().notes());
      assertThat(count(node, "SELECT COUNT(*) FROM audit_log")).isEqualTo(1);
    }
    for (TestNode node : List.of(top.node(), mid, leaf)) {
      assertThat(count(node, "SELECT COUNT(*) - COUNT(DISTINCT delta_id) FROM ds_delta"))
          .as("each delta once on " + node.node().nodeId())
          .isZero();
      assertThat(count(node, "SELECT COUNT(*) FROM ds_dead_letter")).isZero();
    }
  }

  /** Inserts 10 notes and updates one, each captured. */
  private static void write(TestNode node, long base) {
    for (long id = base + 1; id <= base + 10; id++) {
      long note = id;
      node.inTransaction(notes -> notes.insert(new Note(note, "written at the leaf " + note)));
    }
    node.inTransaction(notes -> notes.update(new Note(base + 5, "changed at the leaf")));
  }

  private static long count(TestNode node, String sql) {
    return NotesSchema.count(node.db().dataSource(), sql);
  }
}
