package io.deltasync.apply;

import static io.deltasync.apply.ApplyFixture.batch;
import static io.deltasync.apply.ApplyFixture.count;
import static io.deltasync.apply.ApplyFixture.storedIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.capture.CaptureSettings;
import io.deltasync.conflict.ConflictOutcome;
import io.deltasync.conflict.ConflictPolicies;
import io.deltasync.conflict.ConflictRecord;
import io.deltasync.conflict.Conflicts;
import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.NameFilter;
import io.deltasync.node.SyncNode;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.Note;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A hub applying runs of deltas with the same SQL as one JDBC batch, on the database of each
 * subclass: a run holding a delta that fails dead-letters exactly that delta, and a run with a
 * conflict in its middle ends as applying it delta by delta would.
 */
abstract class StatementRunsScenarios {

  /** A fresh database of the kind under test, for the hub. */
  abstract TestDatabase database(String name);

  private static ConflictPolicies serverWins() {
    return ConflictPolicies.of("server-wins", Map.of(), name -> null);
  }

  private static Note note(long id, String title) {
    Note note = new Note();
    note.id = id;
    note.title = title;
    note.body = "body-" + id;
    note.amount = new BigDecimal("1.50");
    return note;
  }

  @Test
  void aFailingDeltaInARunIsTheOneDeadLetteredAndTheOthersApplyOnceItIsSkipped() {
    TestNode a = ApplyFixture.node("node-a");
    TestNode hub = TestNode.start("hub", database("runs_failing"));
    hub.db()
        .execute(
            "INSERT INTO note (id, title, done, amount) VALUES (3, 'already here', FALSE, 1.00)");
    a.inTransaction(
        notes -> {
          for (long id = 1; id <= 5; id++) {
            notes.insert(note(id, "from-a-" + id));
          }
          return null;
        });
    DeltaBatch batch = batch(a, "hub", 0);
    assertThat(batch.deltas()).hasSize(5).extracting(Delta::sql).containsOnly(sqlOf(batch));
    Delta third = batch.deltas().get(2);
    DeltaApplier applier =
        new DeltaApplier(
            hub.db().dataSource(), "hub", new DeltaValidator(NameFilter.ALL), serverWins(), null);

    assertThatThrownBy(() -> applier.apply(batch))
        .isInstanceOf(DeltaApplyException.class)
        .hasMessageContaining("delta " + third.id());

    List<DeadLetter> letters =
        new DeadLetters(hub.db().dataSource(), applier).list(null, null, Long.MAX_VALUE, 10);
    assertThat(letters)
        .singleElement()
        .satisfies(
            letter -> {
              assertThat(letter.deltaId()).isEqualTo(third.id());
              assertThat(letter.status()).isEqualTo("FAILED");
            });
    assertThat(count(hub, "SELECT COUNT(*) FROM note")).isEqualTo(1);
    assertThat(storedIds(hub)).isEmpty();
    assertThat(hub.node().store().pointers("node-a").lastProcessed()).isZero();

    new DeadLetters(hub.db().dataSource(), applier).skip(letters.get(0).id(), "alice");
    ApplyResult result = applier.apply(batch);

    assertThat(result.applied()).isEqualTo(4);
    assertThat(result.lastProcessed()).isEqualTo(batch.upToSeq());
    assertThat(hub.node().store().pointers("node-a").lastProcessed()).isEqualTo(batch.upToSeq());
    assertThat(storedIds(hub))
        .containsExactly(
            batch.deltas().get(0).id(),
            batch.deltas().get(1).id(),
            batch.deltas().get(3).id(),
            batch.deltas().get(4).id());
    assertThat(NotesSchema.notes(hub.db().dataSource()))
        .anySatisfy(row -> assertThat(row).contains("already here"))
        .noneMatch(row -> row.contains("from-a-3"))
        .hasSize(5);
    assertThat(count(hub, "SELECT COUNT(*) FROM note WHERE title LIKE 'from-a-%'")).isEqualTo(4);
  }

  @Test
  void aConflictInTheMiddleOfARunIsResolvedAndTheRunAroundItApplies() {
    TestDatabase hubDb = NotesSchema.install(database("runs_conflict"));
    SyncNode hub = new SyncNode("hub", hubDb.dataSource(), NameFilter.ALL, serverWins());
    TestNode a = TestNode.start(TestDatabases.h2("runs-a"), client("node-a"));
    TestNode c = TestNode.start(TestDatabases.h2("runs-c"), client("node-c"));
    a.inTransaction(
        notes -> {
          for (long id = 1; id <= 5; id++) {
            notes.insert(note(id, "first-" + id));
          }
          return null;
        });
    a.node().sync(hub);
    c.node().sync(hub);
    c.inTransaction(notes -> notes.update(note(3, "from-c")));
    c.node().push(hub);
    a.inTransaction(
        notes -> {
          for (long id = 1; id <= 5; id++) {
            notes.update(note(id, "from-a-" + id));
          }
          return null;
        });

    a.node().push(hub);

    assertThat(titles(hubDb))
        .containsExactly("from-a-1", "from-a-2", "from-c", "from-a-4", "from-a-5");
    List<ConflictRecord> conflicts = new Conflicts(hubDb.dataSource(), "hub").list(null, 10);
    assertThat(conflicts)
        .singleElement()
        .satisfies(
            conflict -> {
              assertThat(conflict.rowKey().values()).containsEntry("id", "3");
              assertThat(conflict.outcome()).isEqualTo(ConflictOutcome.KEPT_HUB);
            });
    for (int round = 0; round < 3; round++) {
      a.node().sync(hub);
      c.node().sync(hub);
    }
    assertThat(titles(a.db())).isEqualTo(titles(hubDb)).isEqualTo(titles(c.db()));
    assertThat(NotesSchema.notes(a.db().dataSource()))
        .isEqualTo(NotesSchema.notes(hubDb.dataSource()))
        .isEqualTo(NotesSchema.notes(c.db().dataSource()));
  }

  private static CaptureSettings client(String id) {
    return new CaptureSettings(id, "hub", NameFilter.ALL, NameFilter.ALL, Set.of());
  }

  private static String sqlOf(DeltaBatch batch) {
    return batch.deltas().get(0).sql();
  }

  private static List<String> titles(TestDatabase db) {
    List<String> titles = new java.util.ArrayList<>();
    NotesSchema.query(
        db.dataSource(), "SELECT title FROM note ORDER BY id", row -> titles.add(row.getString(1)));
    return titles;
  }
}
