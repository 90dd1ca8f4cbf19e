package io.deltasync.conflict.internal;

import io.deltasync.conflict.Conflict;
import io.deltasync.conflict.ConflictException;
import io.deltasync.conflict.ConflictOutcome;
import io.deltasync.conflict.Resolution;
import io.deltasync.conflict.Row;
import io.deltasync.delta.Delta;
import io.deltasync.delta.internal.SqlShapes;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Carries out a decision on one row inside the hub's transaction: what the incoming delta would
 * make of the row (tried in a savepoint and rolled back), then the decided row written with the
 * database's own upsert or delete; and the words recorded for it.
 */
final class RowResolver {

  /** The row as the incoming delta would make it, or why it cannot be applied. */
  record Trial(Row row, SQLException failure) {}

  /** What a row-level resolution did. */
  record Applied(ConflictOutcome outcome, Row after, String detail) {}

  private final Connection connection;
  private final Dialect dialect;
  private final SqlShapes shapes;

  RowResolver(Connection connection, Dialect dialect, SqlShapes shapes) {
    this.connection = connection;
    this.dialect = dialect;
    this.shapes = shapes;
  }

  static ConflictOutcome tableLevel(long id, Delta delta, Resolution resolution) {
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

  Trial trial(Delta delta, Target target, Row hubRow) throws SQLException {
    Savepoint savepoint = connection.setSavepoint();
    try {
      if (delta.kind() == io.deltasync.delta.Kind.INSERT && hubRow != null) {
        RowSql.delete(connection, target.tableRef(), target.keyColumns(), target.keyValues());
      }
      RowImages.execute(connection, dialect, delta, shapes.of(delta.sql()));
      return new Trial(
          RowSql.select(connection, target.tableRef(), target.keyColumns(), target.keyValues()),
          null);
    } catch (SQLException e) {
      return new Trial(null, e);
    } finally {
      connection.rollback(savepoint);
    }
  }

  Applied apply(
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

  static String parkReason(Conflict conflict) {
    return conflict.hubDeltas().isEmpty()
        ? "an earlier conflict on the row is still open"
        : conflict.hubDeltas().size()
            + " change(s) by "
            + origins(conflict)
            + " that "
            + conflict.incoming().origin()
            + " had not seen";
  }

  static String origins(Conflict conflict) {
    return String.join(
        ", ", conflict.hubDeltas().stream().map(Delta::origin).distinct().sorted().toList());
  }

  static String words(ConflictOutcome outcome, Delta incoming, Row row) {
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
}
