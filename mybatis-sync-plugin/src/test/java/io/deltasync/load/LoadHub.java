package io.deltasync.load;

import io.deltasync.delta.NameFilter;
import io.deltasync.schema.TestDatabase;
import io.deltasync.testing.TestNode;
import io.deltasync.testing.Workload;
import java.time.Duration;

/**
 * The load tests' hub: a node (named {@code hub} unless made {@link #of} another) replicating every
 * table, and its {@link HubSnapshots} (snapshots kept 5 minutes between chunks), in process. Close
 * it to end every snapshot.
 */
record LoadHub(TestNode node, HubSnapshots snapshots) implements AutoCloseable {

  static LoadHub start(TestDatabase db) {
    return of(TestNode.start("hub", db));
  }

  /** A hub of the node, as it is (its relays, say). */
  static LoadHub of(TestNode node) {
    TestDatabase db = node.db();
    return new LoadHub(
        node,
        new HubSnapshots(
            db.dataSource(),
            node.node().nodeId(),
            NameFilter.ALL,
            node.node().store()::incarnation,
            Duration.ofMinutes(5)));
  }

  /**
   * A hub holding notes and tickets from a client, {@code node-a} (its writer), which ran a
   * workload of the given statements and synced, and one audit row written on the hub.
   */
  static LoadHub seeded(TestDatabase db, TestNode writer, long seed, int statements) {
    LoadHub hub = start(db);
    new Workload(seed, 1, false).run(writer, statements);
    writer.node().sync(hub.node().node());
    hub.node().db().execute("INSERT INTO audit_log (id, message) VALUES (1, 'written on the hub')");
    return hub;
  }

  /** A loader of every table from this hub into the client, in chunks of the given rows. */
  Loader loader(TestNode client, int chunkRows, Loader.Reload reload) {
    return new Loader(
        client.db().dataSource(),
        client.node().nodeId(),
        NameFilter.ALL,
        snapshots,
        chunkRows,
        reload);
  }

  @Override
  public void close() {
    snapshots.close();
  }
}
