package io.deltasync.conflict.internal;

import io.deltasync.capture.internal.PrimaryKeys;
import io.deltasync.conflict.Conflict;
import io.deltasync.conflict.ConflictException;
import io.deltasync.conflict.ConflictOutcome;
import io.deltasync.conflict.ConflictPolicies;
import io.deltasync.conflict.ConflictRecord;
import io.deltasync.conflict.Resolution;
import io.deltasync.conflict.Row;
import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaIds;
import io.deltasync.delta.HybridClock;
import io.deltasync.delta.internal.LogText;
import io.deltasync.delta.internal.SqlShapes;
import io.deltasync.store.internal.DeltaRows;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Detects and resolves conflicts at a hub, inside the transaction that applies a batch or resolves
 * a parked conflict, and emits the row images that follow. Thread-safe; each {@link Batch} belongs
 * to one transaction.
 */
public final class ConflictEngine {

  private static final Logger LOG = LoggerFactory.getLogger(ConflictEngine.class);

  /** At most this many of the hub's conflicting deltas are recorded with a conflict. */
  static final int HUB_DELTAS_LIMIT = 50;

  private final String nodeId;
  private final ConflictPolicies policies;
  private final PrimaryKeys primaryKeys = new PrimaryKeys();
  private final RowTargets targets = new RowTargets();
  private final SqlShapes shapes = new SqlShapes();
  private final HybridClock clock;

  /**
   * An engine stamping its row images with the node's clock ({@link HybridClock#forNode}).
   *
   * @param nodeId the hub's node id, the origin of its row images
   * @param policies decide detected conflicts; null for an engine that only resolves parked ones
   */
  public ConflictEngine(String nodeId, ConflictPolicies policies) {
    this(nodeId, policies, HybridClock.forNode(nodeId));
  }

  /** An engine stamping its row images with the given clock, the node's. */
  public ConflictEngine(String nodeId, ConflictPolicies policies, HybridClock clock) {
    this.nodeId = Delta.requireNodeId(nodeId, "nodeId");
    this.policies = policies;
    this.clock = clock;
  }

  /** Starts the conflict work of one transaction. */
  public Batch begin(Connection connection) throws SQLException {
    return new Batch(connection, Dialect.of(connection));
  }

  /** Executes a validated delta on the transaction, a row image as an upsert. */
  public int execute(Connection connection, Dialect dialect, Delta delta) throws SQLException {
    return RowImages.execute(connection, dialect, delta, shapes.of(delta.sql()));
  }

  /**
   * Executes a validated single-row INSERT as an upsert, or as itself when its values are not all
   * parameters; a deletion image by its key, naming the table as this database knows it.
   */
  public void upsert(Connection connection, Dialect dialect, Delta insert) throws SQLException {
    var shape = shapes.of(insert.sql());
    if (RowImages.isDeletion(insert)) {
      RowImages.delete(connection, insert, shape);
      return;
    }
    if (insert.rowKey() != null && shape.insertColumns().size() == insert.params().size()) {
      RowImages.upsert(connection, dialect, insert, shape);
    } else {
      RowImages.execute(connection, dialect, insert, shape);
    }
  }

  /**
   * Resolves a parked conflict as an admin decided, in the caller's transaction, and sends the row
   * images.
   */
  public void resolveParked(
      Connection connection, ConflictRecord record, Resolution resolution, String resolvedBy)
      throws SQLException {
    if (resolution instanceof Resolution.Park) {
      throw new ConflictException(
          "conflict " + record.id() + " is parked already; resolve it with a decision");
    }
    Batch batch = begin(connection);
    Delta incoming = record.incoming();
    List<String> keyColumns = primaryKeys.of(connection, record.table());
    Target target = targets.pinned(incoming, keyColumns);
    long now = clock.now();
    if (target == null) {
      List<Target> rows = batch.tableRows(incoming, record.hubDeltas(), keyColumns);
      ConflictOutcome outcome = RowResolver.tableLevel(record.id(), incoming, resolution);
      if (outcome == ConflictOutcome.TOOK_INCOMING) {
        batch.execute(incoming);
        DeltaRows.insert(connection, List.of(incoming), incoming.origin());
      }
      ConflictRows.resolve(
          connection,
          record.id(),
          outcome,
          null,
          resolvedBy,
          RowResolver.words(outcome, incoming, null));
      batch.queue(record.id(), rows, now, record.hubDeltas());
    } else {
      Row hubRow = RowSql.select(connection, target.tableRef(), keyColumns, target.keyValues());
      RowResolver.Trial trial = batch.rows.trial(incoming, target, hubRow);
      RowResolver.Applied applied =
          batch.rows.apply(record.id(), target, hubRow, trial, resolution, incoming);
      ConflictRows.resolve(
          connection,
          record.id(),
          applied.outcome(),
          applied.after(),
          resolvedBy,
          applied.detail());
      batch.queue(record.id(), List.of(target), now, record.hubDeltas());
    }
    batch.finish();
    LOG.info(
        "Conflict {} on {} resolved by {}: {}",
        record.id(),
        record.table(),
        resolvedBy,
        resolution.getClass().getSimpleName());
  }

  /** The conflict work of one transaction: decisions now, row images at {@link #finish()}. */
  public final class Batch {

    private final Connection connection;
    private final Dialect dialect;
    private final Map<String, Target> imageTargets = new LinkedHashMap<>();
    private final Map<String, Long> imageTimes = new HashMap<>();
    private final Map<Long, List<String>> conflictTargets = new LinkedHashMap<>();
    private int detected;

    private final RowResolver rows;
    private HubWindow window;

    private Batch(Connection connection, Dialect dialect) {
      this.connection = connection;
      this.dialect = dialect;
      this.rows = new RowResolver(connection, dialect, shapes);
    }

    /** This database's dialect. */
    public Dialect dialect() {
      return dialect;
    }

    /**
     * Reads, once, what the hub holds that these incoming deltas (those their sender originated)
     * may conflict with; call before {@link #admit}ting them.
     */
    public void prepare(List<Delta> incoming) throws SQLException {
      if (policies != null) {
        window = HubWindow.of(connection, incoming);
      }
    }

    /** How many conflicts {@link #admit} detected. */
    public int detected() {
      return detected;
    }

    /**
     * Whether {@link #admit} of the delta, after {@link #prepare}, would take it as it came without
     * reading or writing a row: nothing the hub holds or this batch decided touches its row. When
     * false, every earlier delta of the batch must have executed before {@link #admit}, which may
     * read and resolve the row. Reads nothing.
     */
    public boolean clear(Delta delta) {
      return delta.table() == null || policies == null || (window != null && window.clear(delta));
    }

    /**
     * Checks an incoming delta from a client whose hub this node is, resolving a conflict it finds.
     *
     * @return true when the caller must execute and store the delta as usual (no conflict, or a
     *     table-level conflict resolved for the incoming side); false when the conflict took it
     */
    public boolean admit(Delta delta) throws SQLException {
      if (delta.table() == null || policies == null) {
        return true;
      }
      if (window == null) {
        window = HubWindow.of(connection, List.of(delta));
      }
      List<Delta> missed = window.missedBy(delta, HUB_DELTAS_LIMIT);
      List<Delta> hubDeltas = new ArrayList<>();
      boolean passesEchoes = false;
      for (Delta hub : missed) {
        if (echoes(hub, delta)) {
          passesEchoes = true;
        } else if (!commutes(hub, delta)) {
          hubDeltas.add(hub);
        }
      }
      List<Delta> earlier = window.resolvedEarlier(delta);
      if (hubDeltas.isEmpty() && earlier != null) {
        hubDeltas = earlier;
        passesEchoes = false;
      }
      boolean parked = window.parked(delta);
      if (hubDeltas.isEmpty() && !parked) {
        if (passesEchoes) {
          // the origin will still receive the echo after its own change: an image puts it right
          Target target = targets.pinned(delta, primaryKeys.of(connection, delta.table()));
          if (target != null) {
            queue(-1, List.of(target), delta.capturedAt(), List.of());
          }
        }
        return true;
      }
      detected++;
      ConflictPolicies.Policy policy = policies.forTable(delta.table());
      List<String> keyColumns = primaryKeys.of(connection, delta.table());
      Target target = targets.pinned(delta, keyColumns);
      if (target == null) {
        Conflict conflict = new Conflict(delta.table(), null, delta, hubDeltas, null, null, parked);
        Resolution resolution = decide(policy, conflict);
        if (resolution instanceof Resolution.Park) {
          return park(conflict, policy);
        }
        List<Target> rows = tableRows(delta, hubDeltas, keyColumns);
        ConflictOutcome outcome = RowResolver.tableLevel(0, delta, resolution);
        String words = policy.name() + ": " + RowResolver.words(outcome, delta, null);
        record(conflict, policy, outcome, null, words, rows);
        return outcome == ConflictOutcome.TOOK_INCOMING;
      }
      Row hubRow = RowSql.select(connection, target.tableRef(), keyColumns, target.keyValues());
      RowResolver.Trial trial = this.rows.trial(delta, target, hubRow);
      Conflict conflict =
          new Conflict(
              delta.table(), delta.rowKey(), delta, hubDeltas, hubRow, trial.row(), parked);
      Resolution resolution = decide(policy, conflict);
      if (resolution instanceof Resolution.Park) {
        return park(conflict, policy);
      }
      RowResolver.Applied applied = this.rows.apply(0, target, hubRow, trial, resolution, delta);
      record(
          conflict,
          policy,
          applied.outcome(),
          applied.after(),
          policy.name() + ": " + applied.detail(),
          List.of(target));
      return false;
    }

    /**
     * Whether the hub delta is a row image that only restates the row as the incoming delta's
     * origin itself left it: the image of a conflict that kept the hub's row where only that origin
     * had written it, or that took that origin's change. It is no news to that origin.
     */
    private boolean echoes(Delta hub, Delta incoming) throws SQLException {
      if (!RowImages.STATEMENT_ID.equals(hub.statementId()) || hub.rowKey() == null) {
        return false;
      }
      var resolved =
          ConflictRows.resolvedWithImage(
              connection, hub.table(), ConflictRows.keyText(hub.rowKey()), hub.id());
      if (resolved.isEmpty() || resolved.get().outcome() == null) {
        return false;
      }
      ConflictRecord record = resolved.get();
      String origin = incoming.origin();
      return switch (record.outcome()) {
        case TOOK_INCOMING -> record.incoming().origin().equals(origin);
        case KEPT_HUB ->
            !record.hubDeltas().isEmpty()
                && record.hubDeltas().stream().allMatch(d -> d.origin().equals(origin));
        default -> false;
      };
    }

    /**
     * Whether two changes of one row, neither made seeing the other, may both apply: both are
     * UPDATEs that change no column in common except additively on both sides ({@code qty = qty -
     * ?}), and neither reads what the other writes (see {@link ColumnEffects}).
     */
    private boolean commutes(Delta hub, Delta incoming) {
      if (hub.rowKey() == null
          || incoming.rowKey() == null
          || RowImages.STATEMENT_ID.equals(hub.statementId())
          || RowImages.STATEMENT_ID.equals(incoming.statementId())) {
        return false;
      }
      var hubEffects = ColumnEffects.of(hub.sql());
      var incomingEffects = ColumnEffects.of(incoming.sql());
      return hubEffects.isPresent()
          && incomingEffects.isPresent()
          && incomingEffects.get().commutesWith(hubEffects.get());
    }

    /** Records a conflict parked for an admin; the delta is not applied. */
    private boolean park(Conflict conflict, ConflictPolicies.Policy policy) throws SQLException {
      long id =
          ConflictRows.insert(
              connection,
              nodeId,
              conflict,
              policy.name(),
              null,
              null,
              "parked for an admin: " + RowResolver.parkReason(conflict));
      log(id, conflict, policy.name() + ": parked for an admin");
      window.park(conflict.incoming());
      return false;
    }

    /** Records a resolved conflict and queues the row images of its rows. */
    private void record(
        Conflict conflict,
        ConflictPolicies.Policy policy,
        ConflictOutcome outcome,
        Row after,
        String detail,
        List<Target> imaged)
        throws SQLException {
      long id =
          ConflictRows.insert(connection, nodeId, conflict, policy.name(), outcome, after, detail);
      queue(id, imaged, writtenAt(conflict), conflict.hubDeltas());
      log(id, conflict, detail);
    }

    /** Writes the row images of every resolved row and links them to their conflicts. */
    public void finish() throws SQLException {
      if (imageTargets.isEmpty()) {
        return;
      }
      String txId = DeltaIds.next();
      List<Delta> images = new ArrayList<>();
      Map<String, String> imageIds = new HashMap<>();
      for (Map.Entry<String, Target> entry : imageTargets.entrySet()) {
        Target target = entry.getValue();
        Row row =
            RowSql.select(connection, target.tableRef(), target.keyColumns(), target.keyValues());
        Delta image = RowImages.of(nodeId, txId, imageTimes.get(entry.getKey()), target, row);
        images.add(image);
        imageIds.put(entry.getKey(), image.id());
      }
      DeltaRows.insert(connection, images, null);
      for (Map.Entry<Long, List<String>> entry : conflictTargets.entrySet()) {
        List<String> ids = entry.getValue().stream().map(imageIds::get).distinct().toList();
        ConflictRows.setImages(connection, entry.getKey(), ids);
      }
      imageTargets.clear();
      conflictTargets.clear();
    }

    private void queue(long conflictId, List<Target> rows, long writtenAt, List<Delta> hubDeltas) {
      List<String> identities = new ArrayList<>();
      for (Target row : rows) {
        String identity = row.identity();
        if (window != null && conflictId >= 0) {
          window.resolved(identity, hubDeltas);
        }
        imageTargets.putIfAbsent(identity, row);
        imageTimes.merge(identity, writtenAt, Math::max);
        identities.add(identity);
      }
      if (conflictId >= 0) {
        conflictTargets.computeIfAbsent(conflictId, id -> new ArrayList<>()).addAll(identities);
      }
    }

    private List<Target> tableRows(Delta delta, List<Delta> hubDeltas, List<String> keyColumns)
        throws SQLException {
      List<Target> rows = new ArrayList<>(targets.matched(connection, delta, keyColumns));
      for (Delta hub : hubDeltas) {
        Target pinned = targets.pinned(hub, keyColumns);
        if (pinned != null) {
          rows.add(pinned);
        }
      }
      return rows;
    }

    private void execute(Delta delta) throws SQLException {
      ConflictEngine.this.execute(connection, dialect, delta);
    }
  }

  private static Resolution decide(ConflictPolicies.Policy policy, Conflict conflict) {
    Resolution resolution;
    try {
      resolution = policy.resolver().resolve(conflict);
    } catch (RuntimeException e) {
      throw new ConflictException(
          "conflict resolver "
              + policy.name()
              + " failed on delta "
              + conflict.incoming().id()
              + " ("
              + conflict.table()
              + " "
              + conflict.rowKey()
              + "): "
              + e,
          e);
    }
    if (resolution == null) {
      throw new ConflictException(
          "conflict resolver "
              + policy.name()
              + " returned no resolution for delta "
              + conflict.incoming().id());
    }
    return resolution;
  }

  /** The time a row image carries: the latest write either side made to the row. */
  private static long writtenAt(Conflict conflict) {
    long latest = conflict.incoming().capturedAt();
    for (Delta hub : conflict.hubDeltas()) {
      latest = Math.max(latest, hub.capturedAt());
    }
    return latest;
  }

  private static void log(long id, Conflict conflict, String what) {
    LOG.info(
        "Conflict {} on {} {}: {} from {} against {}; {}",
        id,
        LogText.of(conflict.table()),
        conflict.rowKey() == null ? "(table level)" : LogText.of(conflict.rowKey()),
        conflict.incoming().kind(),
        conflict.incoming().origin(),
        conflict.hubDeltas().isEmpty() ? "an open conflict" : RowResolver.origins(conflict),
        what);
  }
}
