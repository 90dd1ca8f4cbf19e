package io.deltasync.ship.load;

import io.deltasync.schema.TestDatabase;
import io.deltasync.ship.support.Eventually;
import io.deltasync.ship.support.ShipNode;
import io.deltasync.testing.NotesSchema;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Waits and counts the load tests share: a node's load done, its pointer caught up. */
final class Joining {

  private Joining() {}

  /** Waits until the node has load rows and every one is DONE. */
  static void awaitLoaded(ShipNode node, Duration wait) {
    Eventually.waitFor(
        wait,
        () ->
            count(node.db(), "SELECT COUNT(*) FROM ds_load") > 0
                && count(node.db(), "SELECT COUNT(*) FROM ds_load WHERE state <> 'DONE'") == 0,
        () -> node.id() + " has loaded " + loadedRows(node) + " rows");
  }

  /** Waits until the node has processed the hub's deltas up to the hub's last seq now. */
  static void awaitCaughtUp(ShipNode node, ShipNode hub, Duration wait) {
    long hubSeq = hub.store().lastSeq();
    Eventually.waitFor(
        wait,
        () -> node.pointers("hub").lastProcessed() >= hubSeq,
        () -> node.id() + " is at " + node.pointers("hub").lastProcessed() + " of " + hubSeq);
  }

  /** Waits until the node has loaded again: a load other than {@code before}, and done. */
  static void awaitReloaded(ShipNode node, String before, Duration wait) {
    Eventually.waitFor(
        wait,
        () -> {
          String now = loadId(node);
          return now != null
              && !now.equals(before)
              && count(node.db(), "SELECT COUNT(*) FROM ds_load WHERE state <> 'DONE'") == 0;
        },
        () -> node.id() + " is at load " + loadId(node) + ", " + loadedRows(node) + " rows");
  }

  /** Waits until the writer has finished that many rounds. */
  static void awaitRounds(AtomicInteger rounds, int atLeast, Duration wait) {
    Eventually.waitFor(wait, () -> rounds.get() >= atLeast, () -> rounds.get() + " rounds");
  }

  /** The rows the node's loads have written so far. */
  static long loadedRows(ShipNode node) {
    return count(node.db(), "SELECT COALESCE(SUM(rows_loaded), 0) FROM ds_load");
  }

  /** The node's latest load id, or null. */
  static String loadId(ShipNode node) {
    String[] id = new String[1];
    NotesSchema.query(
        node.db().dataSource(),
        "SELECT MAX(load_id) FROM ds_load",
        row -> id[0] = row.getString(1));
    return id[0];
  }

  /** The single number the query answers. */
  static long count(TestDatabase db, String sql) {
    return NotesSchema.count(db.dataSource(), sql);
  }
}
