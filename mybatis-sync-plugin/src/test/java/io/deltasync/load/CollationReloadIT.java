package io.deltasync.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.delta.NameFilter;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import io.deltasync.verify.CatchUp;
import io.deltasync.verify.HubVerifier;
import io.deltasync.verify.TableReloadReport;
import io.deltasync.verify.Verifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A reload of a table keyed by text that the hub and the node order differently (the hub's
 * PostgreSQL against the node's MariaDB, case-insensitive, or H2): the hub cuts its chunks by its
 * own order, while the node replaces each chunk's key range by its order, so a row the hub sent in
 * one chunk can fall in the node's range of a later one, and before the node asked the hub which
 * rows its snapshot holds, the MariaDB node lost 5 of the 13 rows. The node ends with exactly the
 * hub's rows: none of them lost, none of its own extra rows kept.
 */
class CollationReloadIT {

  private static final List<String> NAMES =
      List.of("B", "a", "c", "D", "e_1", "E-2", "f", "Zed", "zz", "_under", "-dash", "10", "9");

  private static LoadHub hub;

  @BeforeAll
  static void startHub() {
    TestDatabase db = TestDatabases.postgres("collation_hub");
    create(db);
    hub = LoadHub.start(db);
    for (String name : NAMES) {
      db.execute("INSERT INTO tag (name, note) VALUES ('" + name + "', 'hub " + name + "')");
    }
    db.execute(BIN);
    for (String name : NAMES) {
      db.execute("INSERT INTO bin (code, label) VALUES ('" + name + "', 'hub " + name + "')");
    }
  }

  /**
   * A table keyed by a {@code CHAR} column, which PostgreSQL reads back padded, MariaDB trimmed.
   */
  private static final String BIN = "CREATE TABLE bin (code CHAR(8) PRIMARY KEY, label CHAR(20))";

  @AfterAll
  static void stopHub() {
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  void aMariaDbNodeReloadsATextKeyedTableItOrdersOtherwiseAndEndsEqual() {
    TestDatabase db = TestDatabases.mariadb("collation_maria");
    reloadsAndEndsEqual(db, "node-cm");
    assertThat(order(db))
        .as("MariaDB's order of the keys, which this test needs to differ from the hub's")
        .isNotEqualTo(order(hub.node().db()));
  }

  @Test
  void aMariaDbNodeReloadsACharKeyedTableAndEndsEqual() {
    TestDatabase db = TestDatabases.mariadb("collation_char");
    db.execute(BIN);
    TestNode.start("node-cc", db).withUpstream("hub");
    for (String name : NAMES) {
      db.execute("INSERT INTO bin (code, label) VALUES ('" + name + "', 'old " + name + "')");
    }
    db.execute("INSERT INTO bin (code, label) VALUES ('x-extra', 'only on the node')");
    Loader loader =
        new Loader(db.dataSource(), "node-cc", NameFilter.of("bin", ""), hub.snapshots(), 1);
    loader.reload();
    loader.run();

    assertThat(bins(db)).as("node-cc's bins after its reload").isEqualTo(bins(hub.node().db()));
    assertThat(bins(db)).hasSize(NAMES.size()).containsEntry("Zed", "hub Zed");
  }

  @Test
  void anH2NodeReloadsATextKeyedTableAndEndsEqual() {
    reloadsAndEndsEqual(TestDatabases.h2("collation-h2"), "node-ch");
  }

  /**
   * The same through {@link Verifier#reloadTable}, a page of one row at a time: the node's range of
   * a page holds rows of the hub's other pages, which it keeps once the hub says it holds them.
   */
  @Test
  void aMariaDbNodeReloadsTheTableWithItsVerifierPageByPageAndEndsEqual() {
    TestDatabase db = TestDatabases.mariadb("collation_verify");
    TestNode node = nodeWithOldRows(db, "node-cv");
    Verifier verifier =
        new Verifier(
            db.dataSource(),
            "node-cv",
            NameFilter.of("tag", ""),
            new HubVerifier(hub.node().db().dataSource(), "hub", NameFilter.ALL),
            CatchUp.syncing(node.node(), hub.node().node(), Duration.ofSeconds(30)),
            1);

    TableReloadReport report = verifier.reloadTable("tag");

    assertThat(tags(db)).as("node-cv's tags after its reload").isEqualTo(tags(hub.node().db()));
    assertThat(report.deleted()).as("rows deleted: the node's own extra one").isOne();
    assertThat(report.skipped()).isEmpty();
  }

  @Test
  void aHeldRequestWithAKeyThatIsNoKeyOfTheTableIsRefusedAndTheSnapshotServesOn() {
    LoadStart start = hub.snapshots().open("node-cx", List.of("tag"));
    try {
      assertThat(hub.snapshots().held("node-cx", start.loadId(), "tag", List.of(List.of("B"))))
          .containsExactly(List.of("B"));
      assertThatThrownBy(
              () ->
                  hub.snapshots()
                      .held("node-cx", start.loadId(), "tag", List.of(List.of("B", "extra"))))
          .isInstanceOf(LoadException.class)
          .hasMessageContaining("node-cx sent a key that is no key of tag");
      assertThatThrownBy(
              () ->
                  hub.snapshots().held("node-other", start.loadId(), "tag", List.of(List.of("B"))))
          .as("another node's request for this snapshot")
          .isInstanceOf(LoadSessionLostException.class);
      assertThat(hub.snapshots().chunk("node-cx", start.loadId(), "tag", null, 100))
          .hasSize(NAMES.size());
    } finally {
      hub.snapshots().close("node-cx", start.loadId());
    }
  }

  private static void reloadsAndEndsEqual(TestDatabase db, String nodeId) {
    nodeWithOldRows(db, nodeId);
    Loader loader =
        new Loader(db.dataSource(), nodeId, NameFilter.of("tag", ""), hub.snapshots(), 1);
    loader.reload();
    loader.run();

    assertThat(tags(db)).as("%s's tags after its reload", nodeId).isEqualTo(tags(hub.node().db()));
  }

  /** A node of the hub holding every tag with an old note, and one row the hub lacks. */
  private static TestNode nodeWithOldRows(TestDatabase db, String nodeId) {
    create(db);
    TestNode node = TestNode.start(nodeId, db).withUpstream("hub");
    for (String name : NAMES) {
      db.execute("INSERT INTO tag (name, note) VALUES ('" + name + "', 'old " + name + "')");
    }
    db.execute("INSERT INTO tag (name, note) VALUES ('x-extra', 'only on the node')");
    return node;
  }

  private static void create(TestDatabase db) {
    db.execute("CREATE TABLE tag (name VARCHAR(20) PRIMARY KEY, note VARCHAR(50))");
  }

  private static Map<String, String> tags(TestDatabase db) {
    Map<String, String> tags = new TreeMap<>();
    NotesSchema.query(
        db.dataSource(),
        "SELECT name, note FROM tag",
        row -> tags.put(row.getString(1), row.getString(2)));
    return tags;
  }

  /** The bins, code to label, without the padding PostgreSQL and H2 read back. */
  private static Map<String, String> bins(TestDatabase db) {
    Map<String, String> bins = new TreeMap<>();
    NotesSchema.query(
        db.dataSource(),
        "SELECT code, label FROM bin",
        row -> bins.put(row.getString(1).stripTrailing(), row.getString(2).stripTrailing()));
    return bins;
  }

  private static List<String> order(TestDatabase db) {
    List<String> names = new ArrayList<>();
    NotesSchema.query(
        db.dataSource(), "SELECT name FROM tag ORDER BY name", row -> names.add(row.getString(1)));
    return names;
  }
}
