package io.deltasync.capture.internal;

import io.deltasync.capture.CaptureSettings;
import io.deltasync.capture.DeltaCaptureException;
import io.deltasync.capture.DeltaFilter;
import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaIds;
import io.deltasync.delta.HybridClock;
import io.deltasync.delta.Kind;
import io.deltasync.delta.Param;
import io.deltasync.delta.RowKey;
import io.deltasync.delta.internal.SqlShape;
import io.deltasync.delta.internal.SqlShapes;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.insert.Insert;
import org.apache.ibatis.executor.keygen.NoKeyGenerator;
import org.apache.ibatis.mapping.BoundSql;
import org.apache.ibatis.mapping.MappedStatement;
import org.apache.ibatis.reflection.MetaObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an executed mapped statement into a delta, applying the exclusion criteria. Shared by all
 * sessions of one interceptor; thread-safe.
 */
public final class DeltaBuilder {

  private static final Logger LOG = LoggerFactory.getLogger(DeltaBuilder.class);

  /** A statement that passed the criteria known before execution, with its bound parameters. */
  record Candidate(
      MappedStatement statement,
      Object parameter,
      Kind kind,
      String table,
      String sql,
      SqlShape shape,
      List<Param> params) {}

  private final CaptureSettings settings;
  private final List<DeltaFilter> filters;
  private final HybridClock clock;
  private final SqlShapes shapes = new SqlShapes();
  private final PrimaryKeys primaryKeys = new PrimaryKeys();
  private final StatementGuard guard;
  private final NonDeterministicSql nonDeterministic;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  public DeltaBuilder(CaptureSettings settings, List<DeltaFilter> filters, HybridClock clock) {
    this.settings = settings;
    this.filters = List.copyOf(filters);
    this.clock = clock;
    this.nonDeterministic = new NonDeterministicSql(settings, primaryKeys);
    this.guard = new StatementGuard(settings, nonDeterministic);
  }

  public CaptureSettings settings() {
    return settings;
  }

  /** Refuses statements whose changes could not be recorded, before they run. */
  StatementGuard guard() {
    return guard;
  }

  /**
   * Classifies a statement and records its parameters, or returns null when the criteria leave it
   * out. Call right after the statement executed, before the parameter object can change.
   */
  Candidate prepare(MappedStatement statement, Object parameter) {
    if (!settings.statements().selects(statement.getId())) {
      return null;
    }
    BoundSql boundSql = statement.getBoundSql(parameter);
    String sql = boundSql.getSql();
    SqlShape shape = shapes.of(sql);
    Kind kind = shape.kind();
    if (kind == null) {
      if (shape.parseError() == null) {
        // the guard refused this statement before it ran, unless its first SQL was different
        if (shape.statementCount() > 1
            || "Merge".equals(shape.statementType())
            || "Upsert".equals(shape.statementType())) {
          String refusal = guard.updateRefusal(statement.getId(), sql);
          if (refusal != null) {
            throw new DeltaCaptureException(refusal);
          }
        }
        return null; // parsed, and not DML: DDL or a call run through <update>
      }
      kind = kindOf(statement);
      if (kind == null) {
        return null;
      }
      warnOnce(
          sql,
          "Statement {} could not be parsed ({}); it is recorded with table and row key unknown",
          statement.getId(),
          shape.parseError());
    }
    if (settings.excludedKinds().contains(kind) || !settings.recordsTable(shape.table())) {
      return null;
    }
    List<Param> params = ParamRecorder.record(statement, parameter, boundSql);
    return new Candidate(statement, parameter, kind, shape.table(), sql, shape, params);
  }

  /**
   * Completes a candidate once its statement is known to have changed rows: adds generated keys,
   * the row key, and runs the filters. Returns null when a filter leaves it out.
   */
  Delta finish(Candidate candidate, String txId, Connection connection) {
    String sql = candidate.sql();
    SqlShape shape = candidate.shape();
    List<Param> params = candidate.params();
    if (candidate.kind() == Kind.INSERT
        && !(candidate.statement().getKeyGenerator() instanceof NoKeyGenerator)
        && candidate.statement().getKeyProperties() != null) {
      KeyedInsert keyed = withGeneratedKeys(candidate);
      if (keyed != null) {
        sql = keyed.sql();
        shape = shapes.of(sql);
        params = keyed.params();
      }
    }
    // values of now(), random(), ... as they are here, read back from the row
    NonDeterministicSql.Rewritten byValue =
        nonDeterministic.rewrite(
            candidate.statement().getId(), candidate.table(), sql, params, connection);
    if (byValue != null) {
      sql = byValue.sql();
      shape = shapes.of(sql);
      params = byValue.params();
    }
    RowKey rowKey = null;
    if (candidate.table() != null) {
      try {
        rowKey = shape.rowKey(primaryKeys.of(connection, candidate.table()), params);
      } catch (SQLException e) {
        throw new DeltaCaptureException(
            "could not read the primary key of table " + candidate.table() + ": " + e, e);
      }
    }
    Delta delta =
        new Delta(
            DeltaIds.next(),
            settings.nodeId(),
            0,
            txId,
            clock.now(),
            0,
            candidate.statement().getId(),
            candidate.kind(),
            candidate.table(),
            rowKey,
            sql,
            params);
    for (DeltaFilter filter : filters) {
      if (!filter.include(delta)) {
        return null;
      }
    }
    return delta;
  }

  private record KeyedInsert(String sql, List<Param> params) {}

  /**
   * Adds generated key columns that the INSERT does not name, so that it replays with the same key.
   * Only a single-row {@code INSERT ... VALUES} whose placeholders are all plain values can be
   * rewritten; for any other the key is left out and a warning logged once.
   */
  private KeyedInsert withGeneratedKeys(Candidate candidate) {
    MappedStatement statement = candidate.statement();
    String[] properties = statement.getKeyProperties();
    String[] columns = statement.getKeyColumns();
    List<String> named = candidate.shape().insertColumns();
    List<String> addColumns = new ArrayList<>();
    List<Param> addParams = new ArrayList<>();
    MetaObject meta = statement.getConfiguration().newMetaObject(candidate.parameter());
    for (int i = 0; i < properties.length; i++) {
      String property = properties[i];
      String column =
          columns != null && i < columns.length
              ? columns[i]
              : property.substring(property.lastIndexOf('.') + 1);
      if (named.contains(column.toLowerCase(Locale.ROOT))) {
        continue;
      }
      Object value = meta.hasGetter(property) ? meta.getValue(property) : null;
      if (value == null || named.isEmpty()) {
        warnOnce(
            statement.getId(),
            "Insert {} generates key {} that DeltaSync cannot add to the recorded SQL; other nodes"
                + " will generate their own key. Use application-assigned keys for replicated"
                + " tables.",
            statement.getId(),
            column);
        return null;
      }
      addColumns.add(column);
      addParams.add(
          ParamRecorder.recordValue(
              statement.getId(),
              statement
                  .getConfiguration()
                  .getTypeHandlerRegistry()
                  .getTypeHandler(value.getClass()),
              value));
    }
    if (addColumns.isEmpty()) {
      return null;
    }
    String sql = appendColumns(candidate.sql(), addColumns, candidate.params().size());
    if (sql == null) {
      warnOnce(
          statement.getId(),
          "Insert {} generates a key but its SQL has placeholders outside the VALUES list; other"
              + " nodes will generate their own key",
          statement.getId());
      return null;
    }
    List<Param> params = new ArrayList<>(candidate.params());
    params.addAll(addParams);
    return new KeyedInsert(sql, params);
  }

  private static String appendColumns(String sql, List<String> columns, int placeholders) {
    try {
      Insert insert = (Insert) CCJSqlParserUtil.parse(sql);
      @SuppressWarnings("unchecked")
      ExpressionList<Expression> values =
          (ExpressionList<Expression>) insert.getValues().getExpressions();
      long plain = values.stream().filter(JdbcParameter.class::isInstance).count();
      if (plain != placeholders) {
        return null;
      }
      for (String column : columns) {
        insert.getColumns().add(new Column(column));
        values.add(new JdbcParameter());
      }
      return insert.toString();
    } catch (JSQLParserException | RuntimeException e) {
      return null;
    }
  }

  private static Kind kindOf(MappedStatement statement) {
    return switch (statement.getSqlCommandType()) {
      case INSERT -> Kind.INSERT;
      case UPDATE -> Kind.UPDATE;
      case DELETE -> Kind.DELETE;
      default -> null;
    };
  }

  private void warnOnce(String key, String message, Object... args) {
    if (warned.size() < 10_000 && warned.add(key + message)) {
      LOG.warn(message, args);
    }
  }
}
