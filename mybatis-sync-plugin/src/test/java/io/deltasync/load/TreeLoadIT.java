package io.deltasync.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.Note;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import io.deltasync.testing.Workload;
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
