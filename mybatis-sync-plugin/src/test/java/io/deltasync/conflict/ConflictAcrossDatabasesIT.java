package io.deltasync.conflict;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.conflict.internal.RowImages;
import io.deltasync.node.SyncNode;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.NotesSchema;
import java.time.LocalDateTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Row images on real databases: a hub on PostgreSQL, node-a on MariaDB, node-b on H2. Each
 * resolution reaches every node as an upsert or a delete in the target's own dialect, and the three
 * databases end with the same rows, every column compared.
 */
class ConflictAcrossDatabasesIT {

  private static ConflictFixture fx;

  @BeforeAll
  static void databases() {
    fx =
        new ConflictFixture(
            TestDatabases.postgres("conflict_hub"),
            TestDatabases.mariadb("conflict_a"),
            TestDatabases.h2("conflict-b"));
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
    fx.settle(hub);

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
    fx.settle(hub);

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
    fx.settle(hub);

    assertThat(fx.everywhere(id)).containsOnly("absent");
    assertEqualEverywhere();
  }

  private static void assertEqualEverywhere() {
    assertThat(NotesSchema.notes(fx.a.db().dataSource()))
        .isEqualTo(NotesSchema.notes(fx.hubDb.dataSource()))
        .isEqualTo(NotesSchema.notes(fx.b.db().dataSource()));
  }
}
