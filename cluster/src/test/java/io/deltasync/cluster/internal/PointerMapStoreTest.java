package io.deltasync.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.store.JdbcDeltaStore;
import io.deltasync.store.NodePointers;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PointerMapStoreTest {

  private final TestDatabase db = TestDatabases.h2("pointer-map-store").migrate();
  private final PointerMapStore store = new PointerMapStore(db.dataSource(), "hub");
  private final JdbcDeltaStore table = new JdbcDeltaStore(db.dataSource(), "hub");

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void writesItsOwnNodesPointersThrough() {
    store.store("hub/node-a", new NodePointers("hub", "node-a", 12, 7));

    assertThat(table.pointers("node-a")).isEqualTo(new NodePointers("hub", "node-a", 12, 7));
  }

  @Test
  void neverMovesAPointerInTheDatabaseBack() {
    table.markPushed("node-a", 40); // the node's store wrote the database first

    store.store("hub/node-a", new NodePointers("hub", "node-a", 30, 9));

    assertThat(table.pointers("node-a")).isEqualTo(new NodePointers("hub", "node-a", 40, 9));
  }

  @Test
  void leavesOtherNodesPointersToTheirOwnDatabases() {
    store.store("node-a/hub", new NodePointers("node-a", "hub", 5, 5));

    assertThat(new JdbcDeltaStore(db.dataSource(), "node-a").allPointers()).isEmpty();
    assertThat(store.load("node-a/hub")).isNull();
  }

  @Test
  void loadsOnlyItsOwnNodesRows() {
    table.markPushed("node-a", 3);
    table.markPushed("node-b", 4);
    new JdbcDeltaStore(db.dataSource(), "elsewhere").markPushed("node-a", 99);

    assertThat(store.loadAllKeys()).containsExactly("hub/node-a", "hub/node-b");
    assertThat(store.loadAll(List.of("hub/node-a", "hub/node-b", "elsewhere/node-a", "hub/x")))
        .containsOnlyKeys("hub/node-a", "hub/node-b")
        .containsEntry("hub/node-b", new NodePointers("hub", "node-b", 4, 0));
  }
}
