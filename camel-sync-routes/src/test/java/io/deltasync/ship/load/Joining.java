package io.deltasync.ship.load;

import io.deltasync.schema.TestDatabase;
import io.deltasync.ship.support.Eventually;
import io.deltasync.ship.support.ShipNode;
import io.deltasync.store.DeltaMaintenance;
import io.deltasync.store.PurgePreview;
import io.deltasync.testing.Note;
import io.deltasync.testing.NotesSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Waits, counts and set-ups the load tests share: a node's load done, its pointer caught up,
 * clients left behind by a forced purge.
 */
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

  /**
   * Leaves the hub's clients behind a forced purge: stops the hub's sending route (the hub counts a
   * batch as sent once the broker or the folder has it, so what it purges next was never sent),
   * commits {@code count} notes from id {@code first} on at the hub, and purges every delta by
   * force. Returns the peers the purge left behind, with the route still stopped.
   */
  static Set<String> purgeUnsent(ShipNode hub, String sendRoute, long first, int count)
      throws Exception {
    hub.camel().getRouteController().stopRoute(sendRoute);
    for (long id = first; id < first + count; id++) {
      long note = id;
      hub.writer().inTransaction(notes -> notes.insert(new Note(note, "purged before sent")));
    }
    DeltaMaintenance maintenance = new DeltaMaintenance(hub.db().dataSource(), hub.store());
    PurgePreview preview = maintenance.previewPurgeOlderThan(Instant.now().plusSeconds(1));
    maintenance.purge(preview, true);
    return preview.stillNeededBy().keySet();
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
    return loadId(node.db());
  }

  /** The id of the load the node's database holds. */
  static String loadId(TestDatabase db) {
    String[] id = new String[1];
    NotesSchema.query(
        db.dataSource(), "SELECT MAX(load_id) FROM ds_load", row -> id[0] = row.getString(1));
    return id[0];
  }

  /** The single number the query answers. */
  static long count(TestDatabase db, String sql) {
    return NotesSchema.count(db.dataSource(), sql);
  }
}
