package io.deltasync.load;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.Note;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A node installed with DeltaSync that writes while it has never reached its hub (an offline app's
 * first days) holds deltas of its own when it first connects. It still takes the hub's initial
 * load, keeping the rows its deltas wrote, and pushes them after: both end with the hub's earlier
 * rows and the node's, each delta applied once. A node that also holds a row none of its deltas
 * wrote (written past DeltaSync) takes no load, which would delete that row, and says so.
 */
class FirstContactWithOwnDeltasIT {

  private static final int CHUNK = 50;

  private static LoadHub loadHub;
  private static TestNode hub;

  @BeforeAll
  static void startHub() {
    TestNode writer =
        TestNode.start("node-a", TestDatabases.h2("first-contact-a")).withUpstream("hub");
    loadHub = LoadHub.seeded(TestDatabases.postgres("first_contact_hub"), writer, 33L, 400);
    hub = loadHub.node();
  }

  @AfterAll
  static void stopHub() {
    if (loadHub != null) {
      loadHub.close();
    }
  }

  @Test
  void anH2NodeThatWroteBeforeItsFirstContactLoadsTheHubsRowsAndKeepsAndPushesItsOwn() {
    takesTheLoadAndKeepsItsOwnWrites(TestDatabases.h2("first-contact-o"), "node-o", 9_000_000);
  }

  @Test
  void aMariaDbNodeThatWroteBeforeItsFirstContactLoadsTheHubsRowsAndKeepsAndPushesItsOwn() {
    takesTheLoadAndKeepsItsOwnWrites(TestDatabases.mariadb("first_contact_m"), "node-m", 9_100_000);
  }

  @Test
  void aNodeHoldingARowNoneOfItsDeltasWroteTakesNoLoadAndSaysWhy() {
    TestNode node =
        TestNode.start("node-p", TestDatabases.h2("first-contact-p")).withUpstream("hub");
    writeOffline(node, 9_200_000);
    node.db()
        .execute(
            "INSERT INTO note (id, title, done, amount) VALUES (9200100, 'past DeltaSync', FALSE, 0)");
    List<String> before = node.notes();
    Logger logger = (Logger) LoggerFactory.getLogger(Loader.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    boolean pending;
    try {
      pending = loadHub.loader(node, CHUNK, Loader.Reload.AUTO).pending();
    } finally {
      logger.detachAppender(lines);
    }

    assertThat(pending).isFalse();
    assertThat(lines.list)
        .singleElement()
        .satisfies(
            line ->
                assertThat(line.getFormattedMessage())
                    .isEqualTo(
                        "node-p holds deltas it has not sent to hub yet but has taken nothing from"
                            + " it, and a row of note that none of them wrote"
                            + " ({\"id\":\"9200100\"}): it takes no initial load from hub, which"
                            + " would delete that row, so rows hub had before this node joined are"
                            + " not copied; Loader.reload() would replace its rows with hub's,"
                            + " keeping those its deltas wrote"));
    assertThat(node.notes()).isEqualTo(before);
  }

  private static void takesTheLoadAndKeepsItsOwnWrites(TestDatabase db, String id, long base) {
    TestNode node = TestNode.start(id, db).withUpstream("hub");
    writeOffline(node, base);
    List<String> own = node.notes();
    Loader loader = loadHub.loader(node, CHUNK, Loader.Reload.AUTO);

    assertThat(loader.pending()).isTrue();
    LoadReport report = loader.run();
    assertThat(node.notes()).as("the hub's rows copied, its own kept").containsAll(own);
    assertThat(report.rows().get("note")).isPositive();
    node.node().sync(hub.node());

    assertThat(node.notes()).isEqualTo(hub.notes());
    assertThat(hub.notes()).containsAll(own);
    assertThat(hub.notes()).noneMatch(note -> note.startsWith((base + 6) + "|"));
    assertThat(loader.pending()).isFalse();
    for (TestNode side : List.of(node, hub)) {
      assertThat(count(side, "SELECT COUNT(*) - COUNT(DISTINCT delta_id) FROM ds_delta")).isZero();
      assertThat(count(side, "SELECT COUNT(*) FROM ds_dead_letter")).isZero();
    }
    assertThat(count(node, "SELECT COUNT(*) FROM audit_log"))
        .isEqualTo(count(hub, "SELECT COUNT(*) FROM audit_log"));
  }

  /** Inserts 10 notes, updates one and deletes one, each captured, without reaching the hub. */
  private static void writeOffline(TestNode node, long base) {
    for (long id = base + 1; id <= base + 10; id++) {
      long note = id;
      node.inTransaction(notes -> notes.insert(new Note(note, "written offline " + note)));
    }
    node.inTransaction(notes -> notes.update(new Note(base + 5, "changed offline")));
    node.inTransaction(notes -> notes.delete(base + 6));
  }

  private static long count(TestNode node, String sql) {
    return NotesSchema.count(node.db().dataSource(), sql);
  }
}
