package io.deltasync.load;

import io.deltasync.delta.Delta;
import io.deltasync.delta.NameFilter;
import io.deltasync.delta.internal.LogText;
import io.deltasync.load.internal.LoadRows;
import io.deltasync.load.internal.LoadRows.Progress;
import io.deltasync.load.internal.ReplicatedTables;
import io.deltasync.store.internal.PointerRows;
import io.deltasync.store.internal.ReloadRows;
import io.deltasync.verify.internal.TableShape;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiver's side of an initial load: copies every table this node replicates from its hub's
 * snapshot, then sets its pointer for the hub to the snapshot's position.
 *
 * <pre>{@code
 * Loader loader = new Loader(dataSource, "node-c", replicated, hubOverHttp, 1_000);
 * if (loader.pending()) loader.run(); // then pull as usual
 * }</pre>
 *
 * <p><b>Chunks.</b> Each chunk (keyset by primary key) applies in one transaction on this node's
 * database with plain JDBC, so nothing is captured or sent on: the node's rows in the chunk's key
 * range that the hub does not hold are deleted, the hub's rows are upserted, and the table's {@code
 * ds_load} row moves to the chunk's last key. A crash resumes after the last applied chunk; when
 * the hub no longer holds the load's snapshot, the load starts over at a new one, and since each
 * chunk replaces its whole key range the tables end equal to that snapshot.
 *
 * <p><b>Pointer.</b> The transaction of the last chunk of the last table also sets {@code
 * lastProcessed} for the hub to the snapshot's position and adopts the hub's incarnation, holding
 * the pointer row's lock (the applier's lock for the hub's batches). Deltas after the position are
 * then pulled as usual, each applied once. Do not pull from the hub while {@link #pending()}.
 *
 * <p>Memory is bounded by the chunk size: about 4 MiB of rows, and at most the rows given. Not
 * thread-safe: one load per node and hub at a time.
 */
public final class Loader {

  /**
   * The most rows of a chunk unless told otherwise; fewer where the rows are wide (see {@link
   * ChunkReader}).
   */
  public static final int DEFAULT_CHUNK_ROWS = 5_000;

  private static final Logger LOG = LoggerFactory.getLogger(Loader.class);

  private final DataSource dataSource;
  private final String nodeId;
  private final NameFilter replicatedTables;
  private final LoadSource hub;
  private final int chunkRows;
  private final Reload reload;
  private final ReverseChoices reverse;
  private volatile boolean settled;
  private final ReloadNotes notes;
  private final ChunkWriter writer;
  private final LoadProgressReader progress;
  private BooleanSupplier proceed = () -> true;

  /** What a node does when its hub says it must reload (see {@link #reloadNeeded}). */
  public enum Reload {
    /** Reload from a snapshot of the hub at once, in place of the next pull. */
    AUTO,
    /** Stop pulling from the hub and wait until an operator calls {@link #reload()}. */
    MANUAL
  }

  /**
   * @param dataSource this node's database
   * @param nodeId this node's id
   * @param replicated the tables this node replicates: exactly these are loaded
   * @param hub the hub to load from
   * @param chunkRows the most rows of a chunk, 1 to {@link HubSnapshots#MAX_CHUNK_ROWS}
   */
  public Loader(
      DataSource dataSource, String nodeId, NameFilter replicated, LoadSource hub, int chunkRows) {
    this(dataSource, nodeId, replicated, hub, chunkRows, Reload.AUTO);
  }

  /**
   * As above, choosing what happens when the hub says this node must reload.
   *
   * @param reload {@link Reload#AUTO}: reload at once; {@link Reload#MANUAL}: wait for {@link
   *     #reload()}
   */
  public Loader(
      DataSource dataSource,
      String nodeId,
      NameFilter replicated,
      LoadSource hub,
      int chunkRows,
      Reload reload) {
    this(dataSource, nodeId, replicated, hub, chunkRows, reload, ReverseChoices.NONE);
  }

  /**
   * As above, choosing per table what happens to rows this node holds before it joined the hub: a
   * node that is new but for such rows (no delta, no load, no pointer) first sends them to the hub,
   * which takes them by the table's {@link ReverseChoice}, then loads as usual (see {@link
   * ReverseChoices}; {@link ReverseChoices#NONE}: such a node takes deltas only).
   */
  public Loader(
      DataSource dataSource,
      String nodeId,
      NameFilter replicated,
      LoadSource hub,
      int chunkRows,
      Reload reload,
      ReverseChoices reverse) {
    this.reverse = Objects.requireNonNull(reverse, "reverse");
    this.reload = Objects.requireNonNull(reload, "reload");
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.nodeId = Delta.requireNodeId(nodeId, "nodeId");
    this.replicatedTables = Objects.requireNonNull(replicated, "replicated");
    this.hub = Objects.requireNonNull(hub, "hub");
    if (chunkRows < 1 || chunkRows > HubSnapshots.MAX_CHUNK_ROWS) {
      throw new IllegalArgumentException(
          "chunkRows must be 1 to " + HubSnapshots.MAX_CHUNK_ROWS + ", but was " + chunkRows);
    }
    this.chunkRows = chunkRows;
    this.notes = new ReloadNotes(dataSource, nodeId, hub.nodeId());
    this.writer = new ChunkWriter(nodeId, hub.nodeId());
    this.progress = new LoadProgressReader(dataSource, nodeId);
  }

  /** What this node does when its hub says it must reload. */
  public Reload reloadMode() {
    return reload;
  }

  /** What a reverse load chooses per table ({@link ReverseChoices#NONE}: none is made). */
  public ReverseChoices reverseChoices() {
    return reverse;
  }

  /** The hub this loader loads from. */
  public String hubId() {
    return hub.nodeId();
  }

  /** How this loader reaches its hub. */
  public LoadSource source() {
    return hub;
  }

  /**
   * Whether this node should load from the hub before pulling from it: a load is under way, or the
   * node is new: it never loaded from the hub, has processed none of its deltas, holds no delta and
   * no row in a replicated table. Once false it stays false for this loader (no query on each
   * poll).
   */
  public boolean pending() {
    if (settled) {
      return false;
    }
    boolean pending = readPending();
    settled = !pending;
    return pending;
  }

  private LoadTables tables() {
    return new LoadTables(nodeId, hub, chunkRows, writer, progress, proceed);
  }

  private boolean readPending() {
    return PendingLoad.read(dataSource, nodeId, hub.nodeId(), replicatedTables, reverse);
  }

  /**
   * Notes that the hub refused to serve this node deltas because it must reload first (a {@link
   * ReloadNeededException}: the hub purged deltas this node never got, or this node's database went
   * back and lacks rows the hub has). Logs one warning naming the gap, records it as a re-base of
   * the hub's stream (so it shows where re-bases show, e.g. the health details), and then, by this
   * loader's {@link Reload} setting, makes the reload pending (the pull route runs it in place of
   * its next pull) or holds the node until an operator calls {@link #reload()}. Noting the same gap
   * again changes nothing.
   *
   * @param reason the hub's words
   */
  public void reloadNeeded(String reason) {
    notes.needed(reason, reload);
    settled = false;
  }

  /**
   * An operator's request: reload every replicated table from the hub in place of the next pull,
   * also when the node is held ({@link Reload#MANUAL}) or nothing was wrong. Rows this node wrote
   * and has not pushed yet are kept (they reach the hub as its own deltas); rows the hub does not
   * hold are deleted.
   */
  public void reload() {
    notes.requested();
    settled = false;
  }

  /**
   * Why this node waits for an operator before it pulls from the hub again ({@link Reload#MANUAL}
   * after {@link #reloadNeeded}), or empty when it does not. Read at most once a second (another
   * process over the same database may call {@link #reload()}), and at once after this loader noted
   * a change.
   */
  public Optional<String> held() {
    return notes.held();
  }

  /**
   * Where this node's load from the hub stands (see {@link LoadProgress}), read from its database:
   * also a load another process runs, or one a stop left to resume. Empty when the node never
   * loaded from the hub and owes it no reload. Safe to call from any thread, also during {@link
   * #run()}.
   */
  public Optional<LoadProgress> progress() {
    return progress.read(hub.nodeId());
  }

  /**
   * Loads, or resumes the load under way, until every table is done and the pointer is set.
   *
   * @throws LoadException when a table has no primary key, the hub refuses one, or a chunk cannot
   *     be read or applied (what was applied stays; run again to resume)
   */
  public LoadReport run() {
    return run(() -> true);
  }

  /**
   * As {@link #run()}, checking between chunks whether to go on: when {@code proceed} says no, the
   * load stops with a {@link LoadException} after the last applied chunk, to resume later.
   */
  public LoadReport run(BooleanSupplier proceed) {
    this.proceed = Objects.requireNonNull(proceed, "proceed");
    long started = System.currentTimeMillis();
    try (Connection connection = dataSource.getConnection()) {
      Map<String, TableShape> shapes =
          ReplicatedTables.shapes(
              connection, replicatedTables, "cannot load %s from " + hub.nodeId());
      List<Progress> progress = LoadRows.read(connection, hub.nodeId());
      ReloadRows.Reload due = ReloadRows.read(connection, nodeId, hub.nodeId());
      if (due != null && ReloadRows.HELD.equals(due.state())) {
        throw new LoadException(
            nodeId + " waits for an operator to reload it (Loader.reload()): " + due.reason());
      }
      boolean reloading = due != null;
      boolean resuming = !reloading && progress.stream().anyMatch(table -> !table.done());
      if (!reloading && !progress.isEmpty() && !resuming) {
        return new LoadReport(
            hub.nodeId(),
            progress.get(0).start().loadId(),
            progress.get(0).start().snapshotSeq(),
            Map.of(),
            false,
            0);
      }
      Map<String, Long> written = new LinkedHashMap<>();
      boolean restarted = false;
      if (resuming) {
        try {
          tables().load(connection, shapes, progress, written);
          return tables().report(progress.get(0).start(), written, false, started);
        } catch (LoadSessionLostException e) {
          LOG.warn(
              "{}: starting the load from {} over: {}",
              nodeId,
              hub.nodeId(),
              LogText.of(e.getMessage()));
          restarted = true;
        }
      }
      long[] pointer = PointerRows.select(connection, nodeId, hub.nodeId(), false);
      boolean fresh = progress.isEmpty() && (pointer == null || pointer[1] == 0);
      if (!reloading
          && fresh
          && reverse.enabled()
          // a node holding deltas of its own sends them, not its rows: both would count twice
          && ChunkWriter.count(connection, "SELECT COUNT(*) FROM ds_delta") == 0) {
        // before the snapshot opens, so that it holds what the hub took of this node's rows
        new ReverseLoad(nodeId, hub, chunkRows, reverse).run(connection, shapes.values());
      }
      long pushedBefore = pointer == null ? 0 : pointer[0]; // acknowledged: in the snapshot
      LoadStart start = hub.open(nodeId, List.copyOf(shapes.keySet()));
      writer.begin(connection, start, start.tables(), pushedBefore);
      LOG.info(
          "{} {} {} tables from {} at its seq {} (load {})",
          nodeId,
          reloading ? "reloads" : "loads",
          start.tables().size(),
          hub.nodeId(),
          start.snapshotSeq(),
          start.loadId());
      tables().load(connection, shapes, LoadRows.read(connection, hub.nodeId()), written);
      return tables().report(start, written, restarted, started);
    } catch (SQLException e) {
      throw new LoadException(
          nodeId + " could not load from " + hub.nodeId() + ": " + e.getMessage(), e);
    }
  }
}
