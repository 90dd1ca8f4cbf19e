package io.deltasync.conflict;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.deltasync.apply.DeltaApplier;
import io.deltasync.conflict.internal.RowImages;
import io.deltasync.node.SyncNode;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.ibatis.session.SqlSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Row images on real databases: a hub on PostgreSQL, node-a on MariaDB, node-b on H2, and node-c on
 * MariaDB, which writes nothing. Each resolution reaches every node as an upsert or a delete in the
 * target's own dialect, and the four databases end with the same rows, every column compared.
 */
class ConflictAcrossDatabasesIT {

  private static ConflictFixture fx;

  /** node-c, on MariaDB, which only follows what the others write. */
  private static TestNode bystander;

  @BeforeAll
  static void databases() {
    fx =
        new ConflictFixture(
            TestDatabases.postgres("conflict_hub"),
            TestDatabases.mariadb("conflict_a"),
            TestDatabases.h2("conflict-b"));
    bystander =
        TestNode.start(TestDatabases.mariadb("conflict_c"), ConflictFixture.client("node-c"));
    for (TestNode node : List.of(fx.a, fx.b, bystander)) {
      node.db().execute(ShelfMapper.CREATE);
      node.sessions().getConfiguration().addMapper(ShelfMapper.class);
    }
    fx.hubDb.execute(ShelfMapper.CREATE);
  }

  /**
   * A {@code CHAR(8)} key reads back padded on H2 and PostgreSQL ('ab ') and trimmed on MariaDB
   * ('ab'), and an application binds what it read: the databases take both for one row, and so must
   * the conflict check. Two clients change the row at once, one through each spelling.
   */
  @Test
  void twoSpellingsOfAPaddedKeyAreOneRowToTheConflictCheck() {
    SyncNode hub = fx.hub("server-wins");
    shelf(fx.a, mapper -> mapper.insert("ab", 1));
    settle(hub);
    String padded = shelf(fx.b, mapper -> mapper.code("ab"));
    assertThat(padded).isEqualTo("ab      ");

    shelf(fx.a, mapper -> mapper.setQty("ab", 2));
    shelf(fx.b, mapper -> mapper.setQty(padded, 3));
    fx.a.node().push(hub);
    fx.b.node().push(hub);
    settle(hub);

    List<Integer> everywhere = new ArrayList<>();
    for (TestNode node : List.of(fx.a, fx.b, bystander)) {
      everywhere.add(shelf(node, mapper -> mapper.qty("ab")));
    }
    everywhere.add(
        (int) NotesSchema.count(fx.hubDb.dataSource(), "SELECT qty FROM shelf WHERE code = 'ab'"));
    assertThat(everywhere).as("qty on node-a, node-b, node-c, hub").containsOnly(2);
    assertThat(
            NotesSchema.count(
                fx.hubDb.dataSource(),
                "SELECT COUNT(*) FROM ds_conflict WHERE table_name = 'shelf'"))
        .isEqualTo(1);
  }

  /**
   * MariaDB matches text keys without regard to case, PostgreSQL does not: an update naming a row
   * by another case than the one stored changes it on the MariaDB client and no row on the hub. The
   * hub cannot know the row's other spelling; it says that it lacks the row (a known limit).
   */
  @Test
  void anUpdateThatChangesNoRowOnTheHubIsReportedAsARowTheHubLacks() {
    SyncNode hub = fx.hub("server-wins");
    shelf(fx.a, mapper -> mapper.insert("CASE", 1));
    settle(hub);
    Logger logger = (Logger) LoggerFactory.getLogger(DeltaApplier.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      assertThat((int) shelf(fx.a, mapper -> mapper.setQty("case", 5))).isOne();
      fx.a.node().push(hub);
    } finally {
      logger.detachAppender(lines);
    }

    assertThat(lines.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(
            line ->
                assertThat(line)
                    .contains("An UPDATE of batch")
                    .contains("from node-a changed no row on hub, which lacks the row")
                    .contains("shelf {code=case}")
                    .endsWith(
                        "hub and node-a differ on that row until a verify and repair of shelf"));
    assertThat(
            NotesSchema.count(fx.hubDb.dataSource(), "SELECT qty FROM shelf WHERE code = 'CASE'"))
        .isOne();
  }

  private static <T> T shelf(TestNode node, Function<ShelfMapper, T> work) {
    try (SqlSession session = node.sessions().openSession()) {
      T result = work.apply(session.getMapper(ShelfMapper.class));
      session.commit();
      return result;
    }
  }

  @Test
  void serverWinsBringsBackOnTheOriginARowItDeleted() {
    SyncNode hub = fx.hub("server-wins");
    long id = fx.freshKey();
    fx.shared(hub, id);

    fx.update(fx.b, id, "from-b", "body-b");
    fx.delete(fx.a, id);
    fx.b.node().push(hub);
    fx.a.node().push(hub);
    settle(hub);

    assertThat(fx.everywhere(id)).containsOnly("from-b|body-b");
    assertEqualEverywhere();
  }

  @Test
  void clientWinsOverwritesEveryCopyOfARowInsertedTwice() {
    SyncNode hub = fx.hub("client-wins");
    long id = fx.freshKey();

    fx.b.inTransaction(
        mapper -> {
          var note = ConflictFixture.note(id, "from-b", "body-b");
          note.createdAt = LocalDateTime.of(2026, 1, 2, 3, 4, 5, 6_000_000);
          note.data = new byte[] {1, 2, 3};
          return mapper.insert(note);
        });
    fx.a.inTransaction(
        mapper -> {
          var note = ConflictFixture.note(id, "from-a", null);
          note.done = true;
          note.dueDay = java.time.LocalDate.of(2026, 11, 22);
          return mapper.insert(note);
        });
    fx.b.node().push(hub);
    fx.a.node().push(hub);
    settle(hub);

    assertThat(fx.everywhere(id)).containsOnly("from-a|null");
    assertEqualEverywhere();
    assertThat(
            NotesSchema.count(
                fx.b.db().dataSource(),
                "SELECT COUNT(*) FROM ds_delta WHERE statement_id = '"
                    + RowImages.STATEMENT_ID
                    + "'"))
        .isPositive();
  }

  @Test
  void aDeletionWinsEverywhereAsADeleteImage() {
    SyncNode hub = fx.hub("server-wins");
    long id = fx.freshKey();
    fx.shared(hub, id);

    fx.delete(fx.b, id);
    fx.update(fx.a, id, "from-a", "body-a");
    fx.b.node().push(hub);
    fx.a.node().push(hub);
    settle(hub);

    assertThat(fx.everywhere(id)).containsOnly("absent");
    assertEqualEverywhere();
  }

  /**
   * A bystander that never wrote the row follows it through two INSERTs in a row from its hub: the
   * hub's image deleted node-b's re-inserted row (an echo of a conflict node-a lost against
   * node-b's deletion), node-b inserted it once more, and the hub took the second INSERT over the
   * first. Found by {@code ConflictConvergenceIT}: the bystander on MariaDB stopped on a duplicate
   * key, where the nodes that had written the row applied the INSERT as an upsert.
   */
  @Test
  void aBystanderFollowsARowInsertedAgainOverItsEarlierInsertAtTheHub() {
    SyncNode hub = fx.hub("server-wins");
    long id = fx.freshKey();
    fx.insert(fx.b, id, "first", "body-0");
    settle(hub);
    fx.delete(fx.b, id);
    fx.update(fx.a, id, "from-a", "body-a");
    fx.b.node().push(hub);
    fx.a.node().push(hub); // the hub keeps its deletion: a deletion image, no news to node-b
    fx.insert(fx.b, id, "again", "body-1");
    fx.b.node().pull(hub); // the image deletes node-b's new row before it is pushed
    fx.insert(fx.b, id, "third", "body-2");
    fx.b.node().push(hub); // two INSERTs: the hub runs the second over the first

    settle(hub);

    assertThat(fx.everywhere(id)).containsOnly("third|body-2");
    assertThat(ConflictFixture.row(bystander.db(), id)).isEqualTo("third|body-2");
    assertThat(
            NotesSchema.count(bystander.db().dataSource(), "SELECT COUNT(*) FROM ds_dead_letter"))
        .isZero();
    assertEqualEverywhere();
  }

  /** Every client pushes and pulls until nothing moves, the bystander after node-a and node-b. */
  private static void settle(SyncNode hub) {
    fx.settle(hub);
    bystander.node().sync(hub);
  }

  private static void assertEqualEverywhere() {
    assertThat(NotesSchema.notes(fx.a.db().dataSource()))
        .isEqualTo(NotesSchema.notes(fx.hubDb.dataSource()))
        .isEqualTo(NotesSchema.notes(fx.b.db().dataSource()))
        .isEqualTo(NotesSchema.notes(bystander.db().dataSource()));
  }
}
