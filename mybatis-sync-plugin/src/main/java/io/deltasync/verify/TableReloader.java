package io.deltasync.verify;

import io.deltasync.store.DeltaSignal;
import io.deltasync.store.JdbcDeltaStore;
import io.deltasync.store.internal.TableReloadRows;
import io.deltasync.verify.internal.RangeReads;
import io.deltasync.verify.internal.Repairs;
import io.deltasync.verify.internal.RowText;
import io.deltasync.verify.internal.TableShape;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads one table of a node from its hub for {@link Verifier#reloadTable}: walks the hub's table
 * in key order, a page of rows at a time, and makes each page's key range on the node equal to the
 * hub's the way {@link Verifier#repair} makes a range equal.
 *
 * <p>For each page: mark the node's seq ({@link Repairs#mark}), read the hub's next page after the
 * last page's last key in one snapshot with the hub's seq, catch up with that seq, then repair the
 * range from the last reloaded key to the page's last key (after a short page, to the table's end,
 * so the node's rows after the hub's last key go too). Where the node holds a page of rows before
 * the hub page's last key (rows the hub does not have), the range ends at the node's page instead,
 * the hub's rows of that shorter range are read again, and the next range runs from there to the
 * same page's end, so the node's side stays one page too. The hub's pages move on in the hub's key
 * order and the node's ranges in the node's: where the two differ (text keys under different
 * collations), the ranges still cover every row of both sides, and neither cursor goes back. A
 * range a newer delta raced is tried again with a page half as long, up to {@link
 * Verifier#ATTEMPTS} tries in all, then skipped. Memory: one page of the hub's rows and one of the
 * node's. Not thread-safe: one per reload.
 */
final class TableReloader {

  private static final Logger LOG = LoggerFactory.getLogger(TableReloader.class);

  private final Connection connection;
  private final String nodeId;
  private final VerifyHub hub;
  private final CatchUp catchUp;
  private final int pageRows;
  private final JdbcDeltaStore store;
  private long hubSeq;

  TableReloader(
      Connection connection, JdbcDeltaStore store, VerifyHub hub, CatchUp catchUp, int pageRows) {
    this.connection = connection;
    this.store = store;
    this.nodeId = store.nodeId();
    this.hub = hub;
    this.catchUp = catchUp;
    this.pageRows = pageRows;
  }

  /**
   * After the node changed rows of the table from its hub without deltas (a table reload, a
   * repair), which reach the peers below it in a tree no other way: asks each to reload the table
   * from it ({@code ds_table_reload}, as {@code HubReloads.requestTable} does), in one transaction,
   * and logs them in one line.
   *
   * @param how what the node did: {@code "reloaded"}, {@code "repaired"}
   */
  static void askPeersBelow(
      Connection connection, String nodeId, String hubId, String table, String how)
      throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    List<String> asked;
    connection.setAutoCommit(false);
    try {
      asked =
          TableReloadRows.dueForPeersBelow(
              connection, nodeId, hubId, table, nodeId + ", which " + how + " it from " + hubId);
      connection.commit();
    } finally {
      connection.rollback();
      connection.setAutoCommit(autoCommit);
    }
    if (!asked.isEmpty()) {
      LOG.info(
          "{} {} table {} from {} without deltas for what changed: {} reload it from {} in turn",
          nodeId,
          how,
          table,
          hubId,
          String.join(", ", asked),
          nodeId);
      DeltaSignal.of(nodeId).raise(); // their pulls held open are answered now, with it
    }
  }

  /** Reloads the table, range by range, and logs one line when done. */
  TableReloadReport reload(TableShape shape) throws SQLException {
    long started = System.nanoTime();
    int reloaded = 0;
    long written = 0;
    long deleted = 0;
    List<KeyRange> skipped = new ArrayList<>();
    // two cursors: the hub's pages follow the hub's key order, the node's ranges its own; they
    // differ where the two databases order text keys otherwise (see Repairs#range)
    List<String> hubAfter = null;
    List<String> nodeAfter = null;
    boolean end = false;
    do {
      KeyRange range = null;
      Repairs.Done done = null;
      boolean pageDone = false;
      List<String> hubEnd = null;
      for (int attempt = 0; attempt < Verifier.ATTEMPTS && done == null; attempt++) {
        // a range that raced is tried again half as long: it holds fewer rows being written
        int limit = Math.max(1, pageRows >> attempt);
        long ownAcknowledged = store.pointers(hub.nodeId()).lastPushed();
        long marked = Repairs.mark(connection, nodeId, hub.nodeId());
        HubRows page = caughtUp(hub.page(nodeId, shape.table(), hubAfter, limit));
        hubEnd =
            page.rows().size() < limit
                ? null
                : RowText.key(page.rows().get(page.rows().size() - 1), shape.keyColumns());
        List<String> nodeEnd =
            RangeReads.nthKey(connection, shape, KeyRange.bounds(nodeAfter, hubEnd), limit);
        pageDone = nodeEnd == null || nodeEnd.equals(hubEnd);
        range = KeyRange.bounds(nodeAfter, pageDone ? hubEnd : nodeEnd);
        HubRows rows =
            pageDone && Objects.equals(nodeAfter, hubAfter)
                ? page
                : caughtUp(hub.rows(nodeId, shape.table(), range));
        done =
            Repairs.range(
                connection,
                nodeId,
                hub.nodeId(),
                shape,
                range,
                rows,
                marked,
                ownAcknowledged,
                keys -> hub.held(nodeId, shape.table(), keys));
      }
      if (done == null) {
        skipped.add(range);
      } else {
        reloaded++;
        written += done.written();
        deleted += done.deleted();
      }
      nodeAfter = range.upTo();
      if (pageDone) {
        // the next page; else the node's next range of rows up to the same page's end
        hubAfter = hubEnd;
        end = hubEnd == null;
      }
    } while (!end);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    LOG.info(
        "{} reloaded table {} from {} in {} ms: {} rows written, {} deleted, {} ranges, {} skipped"
            + "{}; caught up to its seq {}",
        nodeId,
        shape.table(),
        hub.nodeId(),
        millis,
        written,
        deleted,
        reloaded,
        skipped.size(),
        skipped.isEmpty() ? "" : " (rows written there meanwhile: reload or verify again)",
        hubSeq);
    if (written + deleted > 0) {
      askPeersBelow(connection, nodeId, hub.nodeId(), shape.table(), "reloaded");
    }
    return new TableReloadReport(
        shape.table(), hub.nodeId(), hubSeq, reloaded, written, deleted, skipped, millis);
  }

  /** The hub's rows once the node has applied every delta the hub held when it read them. */
  private HubRows caughtUp(HubRows rows) {
    catchUp.to(rows.hubSeq());
    hubSeq = Math.max(hubSeq, rows.hubSeq());
    return rows;
  }
}
