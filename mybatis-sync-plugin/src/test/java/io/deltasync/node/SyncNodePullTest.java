package io.deltasync.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.apply.DeltaApplier;
import io.deltasync.apply.DeltaValidator;
import io.deltasync.delta.NameFilter;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.store.JdbcDeltaStore;
import io.deltasync.testing.Note;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import org.junit.jupiter.api.Test;

/** A pull of a bounded number of batches, for a peer whose writers never stop. */
class SyncNodePullTest {

  @Test
  void pullsAtMostTheBatchesAskedAndTheRestNextTime() {
    TestNode hub = TestNode.start("hub", TestDatabases.h2("pull-hub"));
    for (long id = 1; id <= 7; id++) {
      long note = id;
      hub.inTransaction(notes -> notes.insert(new Note(note, "note " + note)));
    }
    TestDatabase db = NotesSchema.install(TestDatabases.h2("pull-b"));
    SyncNode b =
        new SyncNode(
            new JdbcDeltaStore(db.dataSource(), "node-b"),
            new DeltaApplier(db.dataSource(), "node-b", new DeltaValidator(NameFilter.ALL)),
            2);

    assertThat(b.pull(hub.node(), 2)).isEqualTo(4);
    assertThat(b.pull(hub.node(), 1)).isEqualTo(2);
    assertThat(b.pull(hub.node())).isEqualTo(1);
    assertThat(b.pull(hub.node(), 3)).isZero();
    assertThat(NotesSchema.count(db.dataSource(), "SELECT COUNT(*) FROM note")).isEqualTo(7);
    assertThatThrownBy(() -> b.pull(hub.node(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxBatches must be > 0, but was 0");
  }
}
