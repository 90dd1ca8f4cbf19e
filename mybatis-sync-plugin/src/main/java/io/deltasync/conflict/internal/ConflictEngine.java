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
import io.deltasync.delta.internal.SqlShapes;
import io.deltasync.store.internal.DeltaRows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Collections;
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
  private final HybridClock clock = new HybridClock();

  /**
   * @param nodeId the hub's node id, the origin of its row images
   * @param policies decide detected conflicts; null for an engine that only resolves parked ones
   */
  public ConflictEngine(String nodeId, ConflictPolicies policies) {
    this.nodeId = Delta.requireNodeId(nodeId, "nodeId");
    this.policies = policies;
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
   * parameters.
   */
  public void upsert(Connection connection, Dialect dialect, Delta insert) throws SQLException {
    var shape = shapes.of(insert.sql());
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
      ConflictOutcome outcome = batch.tableLevel(record.id(), incoming, resolution);
      if (outcome == ConflictOutcome.TOOK_INCOMING) {
        batch.execute(incoming);
        DeltaRows.insert(connection, List.of(incoming), incoming.origin());
      }
      ConflictRows.resolve(
          connection, record.id(), outcome, null, resolvedBy, words(outcome, incoming, null));
      batch.queue(record.id(), rows, now);
    } else {
      Row hubRow = RowSql.select(connection, target.tableRef(), keyColumns, target.keyValues());
      Trial trial = batch.trial(incoming, target, hubRow);
      Applied applied = batch.applyRow(record.id(), target, hubRow, trial, resolution, incoming);
      ConflictRows.resolve(
          connection,
          record.id(),
          applied.outcome(),
          applied.after(),
          resolvedBy,
          applied.detail());
      batch.queue(record.id(), List.of(target), now);
    }
    batch.finish();
    LOG.info(
        "Conflict {} on {} resolved by {}: {}",
        record.id(),
        record.table(),
        resolvedBy,
        resolution.getClass().getSimpleName());
  }

  /** The row as the incoming delta would make it, or why it cannot be applied. */
  private record Trial(Row row, SQLException failure) {}

  /** What a row-level resolution did. */
  private record Applied(ConflictOutcome outcome, Row after, String detail) {}

  /** The conflict work of one transaction: decisions now, row images at {@link #finish()}. */
  public final class Batch {

    private final Connection connection;
    private final Dialect dialect;
    private final Map<String, Target> imageTargets = new LinkedHashMap<>();
    private final Map<String, Long> imageTimes = new HashMap<>();
    private final Map<Long, List<String>> conflictTargets = new LinkedHashMap<>();
    private int detected;

    private Batch(Connection connection, Dialect dialect) {
      this.connection = connection;
      this.dialect = dialect;
    }

    /** This database's dialect. */
    public Dialect dialect() {
      return dialect;
    }

    /** How many conflicts {@link #admit} detected. */
    public int detected() {
      return detected;
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
      List<Delta> hubDeltas = hubDeltasAfter(delta);
      boolean parked = ConflictRows.hasOpen(connection, delta.table(), delta.rowKey());
      if (hubDeltas.isEmpty() && !parked) {
        return true;
      }
      detected++;
      ConflictPolicies.Policy policy = policies.forTable(delta.table());
      List<String> keyColumns = primaryKeys.of(connection, delta.table());
      Target target = targets.pinned(delta, keyColumns);
      if (target == null) {
        Conflict conflict = new Conflict(delta.table(), null, delta, hubDeltas, null, null, parked);
        Resolution resolution = decide(policy, conflict);
        List<Target> rows = tableRows(delta, hubDeltas, keyColumns);
        if (resolution instanceof Resolution.Park) {
          long id =
              ConflictRows.insert(
                  connection,
                  nodeId,
                  conflict,
                  policy.name(),
                  null,
                  null,
                  "parked for an admin: " + parkReason(conflict));
          log(id, conflict, policy, "parked for an admin");
          return false;
        }
        ConflictOutcome outcome = tableLevel(0, delta, resolution);
        long id =
            ConflictRows.insert(
                connection,
                nodeId,
                conflict,
                policy.name(),
                outcome,
                null,
                words(outcome, delta, null));
        queue(id, rows, writtenAt(conflict));
        log(id, conflict, policy, words(outcome, delta, null));
        return outcome == ConflictOutcome.TOOK_INCOMING;
      }
      Row hubRow = RowSql.select(connection, target.tableRef(), keyColumns, target.keyValues());
      Trial trial = trial(delta, target, hubRow);
      Conflict conflict =
          new Conflict(
              delta.table(), delta.rowKey(), delta, hubDeltas, hubRow, trial.row(), parked);
      Resolution resolution = decide(policy, conflict);
      if (resolution instanceof Resolution.Park) {
        long id =
            ConflictRows.insert(
                connection,
                nodeId,
                conflict,
                policy.name(),
                null,
                null,
                "parked for an admin: " + parkReason(conflict));
        log(id, conflict, policy, "parked for an admin");
        return false;
      }
      Applied applied = applyRow(0, target, hubRow, trial, resolution, delta);
      long id =
          ConflictRows.insert(
              connection,
              nodeId,
              conflict,
              policy.name(),
              applied.outcome(),
              applied.after(),
              policy.name() + ": " + applied.detail());
      queue(id, List.of(target), writtenAt(conflict));
      log(id, conflict, policy, applied.detail());
      return false;
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

    private void queue(long conflictId, List<Target> rows, long writtenAt) {
      List<String> identities = new ArrayList<>();
      for (Target row : rows) {
        String identity = row.identity();
        imageTargets.putIfAbsent(identity, row);
        imageTimes.merge(identity, writtenAt, Math::max);
        identities.add(identity);
      }
      conflictTargets.computeIfAbsent(conflictId, id -> new ArrayList<>()).addAll(identities);
    }

    private List<Delta> hubDeltasAfter(Delta delta) throws SQLException {
      String sql =
          "SELECT "
              + DeltaRows.COLUMNS
              + " FROM ds_delta WHERE table_name = ? AND seq > ? AND origin <> ?"
              + " AND (received_from IS NULL OR received_from <> ?)"
              + (delta.rowKey() == null ? "" : " AND (row_key = ? OR row_key IS NULL)")
              + " ORDER BY seq DESC LIMIT "
              + HUB_DELTAS_LIMIT;
      try (PreparedStatement select = connection.prepareStatement(sql)) {
        select.setString(1, delta.table());
        select.setLong(2, delta.basis());
        select.setString(3, delta.origin());
        select.setString(4, delta.origin());
        if (delta.rowKey() != null) {
          select.setString(5, ConflictRows.keyText(delta.rowKey()));
        }
        List<Delta> newestFirst = DeltaRows.readAll(select);
        Collections.reverse(newestFirst);
        return newestFirst;
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

    private ConflictOutcome tableLevel(long id, Delta delta, Resolution resolution) {
      if (resolution instanceof Resolution.KeepHub) {
        return ConflictOutcome.KEPT_HUB;
      }
      if (resolution instanceof Resolution.TakeIncoming) {
        return ConflictOutcome.TOOK_INCOMING;
      }
      throw new ConflictException(
          (id > 0 ? "conflict " + id : "the conflict of delta " + delta.id())
              + " on "
              + delta.table()
              + " is table-level (the statement "
              + delta.statementId()
              + " does not pin one row), so it can only keep the hub's rows or take the incoming"
              + " statement, but was resolved with "
              + resolution);
    }

    private void execute(Delta delta) throws SQLException {
      ConflictEngine.this.execute(connection, dialect, delta);
    }

    private Trial trial(Delta delta, Target target, Row hubRow) throws SQLException {
      Savepoint savepoint = connection.setSavepoint();
      try {
        if (delta.kind() == io.deltasync.delta.Kind.INSERT && hubRow != null) {
          RowSql.delete(connection, target.tableRef(), target.keyColumns(), target.keyValues());
        }
        execute(delta);
        return new Trial(
            RowSql.select(connection, target.tableRef(), target.keyColumns(), target.keyValues()),
            null);
      } catch (SQLException e) {
        return new Trial(null, e);
      } finally {
        connection.rollback(savepoint);
      }
    }

    private Applied applyRow(
        long id, Target target, Row hubRow, Trial trial, Resolution resolution, Delta incoming)
        throws SQLException {
      List<String> keys = target.keyColumns();
      if (resolution instanceof Resolution.KeepHub) {
        return new Applied(ConflictOutcome.KEPT_HUB, hubRow, "kept the hub's row");
      }
      if (resolution instanceof Resolution.TakeIncoming) {
        if (trial.failure() != null) {
          throw trial.failure();
        }
        if (trial.row() != null) {
          RowSql.upsert(connection, dialect, target.tableRef(), keys, trial.row());
        } else if (hubRow != null) {
          RowSql.delete(connection, target.tableRef(), keys, target.keyValues());
        }
        return new Applied(
            ConflictOutcome.TOOK_INCOMING,
            trial.row(),
            words(ConflictOutcome.TOOK_INCOMING, incoming, trial.row()));
      }
      if (resolution instanceof Resolution.DeleteRow) {
        RowSql.delete(connection, target.tableRef(), keys, target.keyValues());
        return new Applied(ConflictOutcome.DELETED_ROW, null, "deleted the row");
      }
      Map<String, io.deltasync.delta.Param> values = new LinkedHashMap<>();
      for (int i = 0; i < keys.size(); i++) {
        values.put(keys.get(i), target.keyValues().get(i));
      }
      values.putAll(((Resolution.UseRow) resolution).row().values());
      Row custom = new Row(values);
      if (!target.rowKey().equals(custom.key(keys))) {
        throw new ConflictException(
            "custom values for conflict "
                + (id > 0 ? id : "of delta " + incoming.id())
                + " must keep the row's key "
                + target.rowKey()
                + ", but had "
                + custom.key(keys));
      }
      RowSql.upsert(connection, dialect, target.tableRef(), keys, custom);
      Row after = RowSql.select(connection, target.tableRef(), keys, target.keyValues());
      return new Applied(ConflictOutcome.CUSTOM_ROW, after, "wrote custom values to the row");
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

  private static String parkReason(Conflict conflict) {
    return conflict.hubDeltas().isEmpty()
        ? "an earlier conflict on the row is still open"
        : conflict.hubDeltas().size()
            + " change(s) by "
            + origins(conflict)
            + " that "
            + conflict.incoming().origin()
            + " had not seen";
  }

  private static String origins(Conflict conflict) {
    return String.join(
        ", ", conflict.hubDeltas().stream().map(Delta::origin).distinct().sorted().toList());
  }

  private static String words(ConflictOutcome outcome, Delta incoming, Row row) {
    String statement = "the incoming " + incoming.kind() + " from " + incoming.origin();
    return switch (outcome) {
      case KEPT_HUB -> "kept the hub's row; " + statement + " was not applied";
      case TOOK_INCOMING ->
          incoming.kind() != io.deltasync.delta.Kind.DELETE && row == null
              ? "took " + statement + ", which matched no row at the hub, so the row stays deleted"
              : "took " + statement;
      case CUSTOM_ROW -> "wrote custom values to the row";
      case DELETED_ROW -> "deleted the row";
    };
  }

  private static void log(long id, Conflict conflict, ConflictPolicies.Policy policy, String what) {
    LOG.info(
        "Conflict {} on {} {}: {} from {} against {}; {} {}",
        id,
        conflict.table(),
        conflict.rowKey() == null ? "(table level)" : conflict.rowKey(),
        conflict.incoming().kind(),
        conflict.incoming().origin(),
        conflict.hubDeltas().isEmpty() ? "an open conflict" : origins(conflict),
        policy.name(),
        what);
  }
}
