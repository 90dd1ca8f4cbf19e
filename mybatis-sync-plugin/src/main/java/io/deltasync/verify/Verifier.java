package io.deltasync.verify;

import io.deltasync.delta.Delta;
import io.deltasync.delta.NameFilter;
import io.deltasync.store.JdbcDeltaStore;
import io.deltasync.verify.internal.RangeReads;
import io.deltasync.verify.internal.Repairs;
import io.deltasync.verify.internal.RowDiffs;
import io.deltasync.verify.internal.TableShape;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Verifies a node's replicated tables against its hub and repairs them from it, while both keep
 * taking writes.
 *
 * <pre>{@code
 * Verifier verifier = new Verifier(dataSource, "node-a", replicated, hub, catchUp);
 * VerifyReport report = verifier.verify("note");
 * if (!report.inSync()) verifier.repair(report);
 * TableReloadReport reload = verifier.reloadTable("item"); // a table the node lost most of
 * }</pre>
 *
 * <p><b>No false differences from deltas in flight.</b> A range is reported only when it differs
 * twice: first by the node's checksums against the hub's for the same bounds, then again after the
 * node has caught up ({@link CatchUp}) with the hub's seq of a fresh snapshot, and when its rows,
 * read once more after catching up with the seq of the hub's row snapshot, still differ.
 *
 * <p><b>No repair backwards.</b> Each range is repaired in its own transaction on the node's
 * database with plain JDBC (never captured, never sent on), holding the lock the applier takes for
 * the hub's batches, after the node caught up with the hub's rows. A range whose rows a delta that
 * may be newer than the hub's rows touched (one the node stored after asking for them, or one it
 * wrote that the hub had not acknowledged) is rolled back and tried again, and reported as skipped
 * after {@link #ATTEMPTS} tries. {@link #reloadTable} writes every range of a table so, walking the
 * hub's table page by page. Thread-safe; a table's verify, repair and reload read at most one chunk
 * (node) and one range (hub) of rows at a time.
 */
public final class Verifier {

  /** Rows per key range unless told otherwise. */
  public static final int DEFAULT_CHUNK_ROWS = 1_000;

  /** Tries per range before repair skips it. */
  public static final int ATTEMPTS = 5;

  /** Most ranges asked of the hub at once, so that one answer stays short over HTTP. */
  public static final int RANGES_PER_REQUEST = 1_000;

  private final DataSource dataSource;
  private final String nodeId;
  private final NameFilter replicatedTables;
  private final VerifyHub hub;
  private final CatchUp catchUp;
  private final int chunkRows;

  /** A verifier with {@link #DEFAULT_CHUNK_ROWS} rows per range. */
  public Verifier(
      DataSource dataSource, String nodeId, NameFilter replicated, VerifyHub hub, CatchUp catchUp) {
    this(dataSource, nodeId, replicated, hub, catchUp, DEFAULT_CHUNK_ROWS);
  }

  /**
   * @param dataSource the node's database
   * @param nodeId the node's id
   * @param replicated the tables the node replicates; no other is verified
   * @param hub the node's hub
   * @param catchUp how the node catches up with the hub before comparing
   * @param chunkRows rows per key range, > 0
   */
  public Verifier(
      DataSource dataSource,
      String nodeId,
      NameFilter replicated,
      VerifyHub hub,
      CatchUp catchUp,
      int chunkRows) {
    if (chunkRows <= 0) {
      throw new IllegalArgumentException("chunkRows must be > 0, but was " + chunkRows);
    }
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.nodeId = Delta.requireNodeId(nodeId, "nodeId");
    this.replicatedTables = Objects.requireNonNull(replicated, "replicated");
    this.hub = Objects.requireNonNull(hub, "hub");
    this.catchUp = Objects.requireNonNull(catchUp, "catchUp");
    this.chunkRows = chunkRows;
  }

  /** The id of the hub this node verifies against and reloads from. */
  public String hubId() {
    return hub.nodeId();
  }

  /**
   * Compares the table with the hub's and drills differing ranges down to rows.
   *
   * @throws VerifyException for a table the node does not replicate or without a primary key, a hub
   *     that refuses, or a database error
   */
  public VerifyReport verify(String table) {
    TableShape shape;
    List<KeyRange> mine;
    try (Connection connection = dataSource.getConnection()) {
      shape = TableShape.of(connection, table, replicatedTables);
      mine = RangeReads.chunks(connection, shape, chunkRows);
    } catch (SQLException e) {
      throw failed("checksum", table, e);
    }
    HubChecksums first = hubChecksums(shape, mine);
    catchUp.to(first.hubSeq());
    List<KeyRange> suspects = differing(mine, first.ranges());
    long hubSeq = first.hubSeq();
    List<KeyRange> differing = new ArrayList<>();
    List<RowDifference> rows = new ArrayList<>();
    if (!suspects.isEmpty()) {
      HubChecksums second = hubChecksums(shape, suspects);
      catchUp.to(second.hubSeq());
      hubSeq = second.hubSeq();
      RowDiffs.Across across = new RowDiffs.Across(shape);
      for (KeyRange again : differing(measure(shape, suspects), second.ranges())) {
        HubRows hubRows = hub.rows(nodeId, shape.table(), again);
        catchUp.to(hubRows.hubSeq());
        hubSeq = Math.max(hubSeq, hubRows.hubSeq());
        across.add(again, hubRows.rows(), nodeRows(shape, again));
      }
      rows.addAll(across.differences(differing));
    }
    long nodeRows = mine.stream().mapToLong(KeyRange::rows).sum();
    return new VerifyReport(
        shape.table(), nodeId, hub.nodeId(), hubSeq, mine.size(), nodeRows, differing, rows);
  }

  /**
   * Makes the report's differing ranges on this node equal to the hub's, one transaction per range.
   *
   * @throws VerifyException for a report of another node or hub, or a database error
   */
  public RepairReport repair(VerifyReport report) {
    if (!report.nodeId().equals(nodeId) || !report.hubId().equals(hub.nodeId())) {
      throw new VerifyException(
          "the report compares "
              + report.nodeId()
              + " with "
              + report.hubId()
              + ", not "
              + nodeId
              + " with "
              + hub.nodeId());
    }
    JdbcDeltaStore store = new JdbcDeltaStore(dataSource, nodeId);
    int repaired = 0;
    int written = 0;
    int deleted = 0;
    List<KeyRange> skipped = new ArrayList<>();
    try (Connection connection = dataSource.getConnection()) {
      TableShape shape = TableShape.of(connection, report.table(), replicatedTables);
      for (KeyRange range : report.differingRanges()) {
        Repairs.Done done = null;
        for (int attempt = 0; attempt < ATTEMPTS && done == null; attempt++) {
          long ownAcknowledged = store.pointers(hub.nodeId()).lastPushed();
          long marked = Repairs.mark(connection, nodeId, hub.nodeId());
          HubRows hubRows = hub.rows(nodeId, shape.table(), range);
          catchUp.to(hubRows.hubSeq());
          done =
              Repairs.range(
                  connection,
                  nodeId,
                  hub.nodeId(),
                  shape,
                  range,
                  hubRows,
                  marked,
                  ownAcknowledged,
                  keys -> hub.held(nodeId, shape.table(), keys));
        }
        if (done == null) {
          skipped.add(range);
        } else {
          repaired++;
          written += done.written();
          deleted += done.deleted();
        }
      }
      if (written + deleted > 0) {
        TableReloader.askPeersBelow(connection, nodeId, hub.nodeId(), shape.table(), "repaired");
      }
      return new RepairReport(shape.table(), repaired, written, deleted, skipped);
    } catch (SQLException e) {
      throw failed("repair", report.table(), e);
    }
  }

  /**
   * Makes the node's table equal to the hub's by reloading it from the hub, while both keep taking
   * writes: for a node missing most of a table, where {@link #verify} and {@link #repair} would
   * refuse ranges too large to compare row by row. Only this table changes; the pull goes on as it
   * was.
   *
   * <p>Walks the hub's table in key order, {@code chunkRows} rows a page (keyset paging): each page
   * is read in one snapshot with the hub's seq, the node catches up with that seq, and the page's
   * key range is then written as {@link #repair} writes a range (the hub's rows written, the node's
   * other rows of the range deleted, in one transaction holding the applier's lock, rolled back and
   * tried again, with a page half as long, when a newer delta touches one of its rows). So no row
   * is written backwards and no delta counts twice: unlike a snapshot load, the reload never moves
   * the node's pointer for the hub. The last range runs to the table's end, so the node's rows
   * after the hub's last key go too. Memory: one page of rows from each side. Logs one line when
   * done.
   *
   * @throws VerifyException for a table the node or the hub does not replicate or without a primary
   *     key, a hub that refuses or cannot be reached, a node that cannot catch up, or a database
   *     error; the ranges reloaded until then stay reloaded
   */
  public TableReloadReport reloadTable(String table) {
    try (Connection connection = dataSource.getConnection()) {
      TableShape shape = TableShape.of(connection, table, replicatedTables);
      return new TableReloader(
              connection, new JdbcDeltaStore(dataSource, nodeId), hub, catchUp, chunkRows)
          .reload(shape);
    } catch (SQLException e) {
      throw failed("reload", table, e);
    }
  }

  private List<KeyRange> measure(TableShape shape, List<KeyRange> ranges) {
    try (Connection connection = dataSource.getConnection()) {
      List<KeyRange> measured = new ArrayList<>(ranges.size());
      for (KeyRange range : ranges) {
        measured.add(RangeReads.measure(connection, shape, range));
      }
      return measured;
    } catch (SQLException e) {
      throw failed("checksum", shape.table(), e);
    }
  }

  private List<io.deltasync.conflict.Row> nodeRows(TableShape shape, KeyRange range) {
    try (Connection connection = dataSource.getConnection()) {
      return RangeReads.rows(connection, shape, range, HubVerifier.MAX_RANGE_ROWS);
    } catch (SQLException e) {
      throw failed("read", shape.table(), e);
    }
  }

  /**
   * The hub's checksums of the ranges, asked {@link #RANGES_PER_REQUEST} at a time; the seq is the
   * highest of the answers, so catching up with it covers every snapshot.
   */
  private HubChecksums hubChecksums(TableShape shape, List<KeyRange> ranges) {
    long hubSeq = 0;
    List<KeyRange> theirs = new ArrayList<>(ranges.size());
    for (int from = 0; from < ranges.size(); from += RANGES_PER_REQUEST) {
      List<KeyRange> part =
          ranges.subList(from, Math.min(ranges.size(), from + RANGES_PER_REQUEST)).stream()
              .map(range -> KeyRange.bounds(range.after(), range.upTo()))
              .toList();
      HubChecksums answer = hub.checksums(nodeId, shape.table(), part);
      if (answer.ranges().size() != part.size()) {
        throw new VerifyException(
            "asked "
                + hub.nodeId()
                + " for "
                + part.size()
                + " ranges, but it answered "
                + answer.ranges().size());
      }
      hubSeq = Math.max(hubSeq, answer.hubSeq());
      theirs.addAll(answer.ranges());
    }
    return new HubChecksums(hubSeq, theirs);
  }

  private static List<KeyRange> differing(List<KeyRange> mine, List<KeyRange> theirs) {
    List<KeyRange> differing = new ArrayList<>();
    for (int i = 0; i < mine.size(); i++) {
      if (!mine.get(i).sameAs(theirs.get(i))) {
        differing.add(mine.get(i));
      }
    }
    return differing;
  }

  private VerifyException failed(String what, String table, SQLException e) {
    return new VerifyException(
        "could not " + what + " table " + table + " on " + nodeId + ": " + e.getMessage(), e);
  }
}
