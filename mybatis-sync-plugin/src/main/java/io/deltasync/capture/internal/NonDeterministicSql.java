package io.deltasync.capture.internal;

import io.deltasync.capture.CaptureSettings;
import io.deltasync.capture.DeltaCaptureException;
import io.deltasync.conflict.Row;
import io.deltasync.conflict.internal.RowSql;
import io.deltasync.delta.Kind;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.delta.internal.NonDeterministicCalls;
import io.deltasync.delta.internal.RowValueRewrite;
import io.deltasync.delta.internal.SqlShape;
import io.deltasync.delta.internal.SqlShapes;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.ibatis.builder.StaticSqlSource;
import org.apache.ibatis.executor.keygen.NoKeyGenerator;
import org.apache.ibatis.mapping.MappedStatement;
import org.apache.ibatis.mapping.SqlSource;
import org.apache.ibatis.scripting.defaults.RawSqlSource;

/**
 * Keeps statements whose SQL calls a node-dependent function ({@code now()}, {@code random()},
 * {@code uuid()}, a sequence's next value, ... see {@link NonDeterministicCalls}) from leaving
 * nodes with different rows.
 *
 * <p>A statement that pins one row by its primary key (an INSERT of one row with its key, an UPDATE
 * or DELETE by key) is recorded with the values the functions returned here: the row is read back
 * by its key right after the statement, on its connection and in its transaction, and each value
 * that called one becomes a parameter holding the column's value (see {@link RowValueRewrite}). Any
 * other such statement is refused with a {@link DeltaCaptureException} naming it and the function,
 * unless {@link CaptureSettings#evaluatesOnEachNode} lists it: then its SQL is recorded as written
 * and each node evaluates the function itself.
 *
 * <p>A one-row INSERT whose key the database generates counts as pinning its row when MyBatis reads
 * the key back ({@code useGeneratedKeys}): capture adds the key to the recorded INSERT first.
 * Statements with static SQL are refused before they run; dynamic SQL ({@code <if>}, {@code
 * <foreach>}, providers) is checked as it is recorded, right after it ran, and its transaction then
 * cannot commit. Verdicts and rewrites are kept per SQL text, so a statement without such calls
 * costs one map lookup. Thread-safe.
 */
final class NonDeterministicSql {

  private static final int MAX_ENTRIES = 10_000;

  /** The verdict of a statement that may run; any other verdict is why it may not. */
  private static final String ALLOWED = "";

  /** A statement's SQL and parameters as recorded: with the row's values instead of the calls. */
  record Rewritten(String sql, List<Param> params) {}

  private record Plan(List<String> keyColumns, RowValueRewrite.Result result) {}

  private final CaptureSettings settings;
  private final PrimaryKeys primaryKeys;
  private final Map<String, List<String>> calls = new ConcurrentHashMap<>();
  private final Map<String, Plan> plans = new ConcurrentHashMap<>();
  private final Map<String, String> verdicts = new ConcurrentHashMap<>();

  NonDeterministicSql(CaptureSettings settings, PrimaryKeys primaryKeys) {
    this.settings = settings;
    this.primaryKeys = primaryKeys;
  }

  /**
   * Throws, before a statement with static SQL runs, when it calls a node-dependent function that
   * cannot be recorded by value. The verdict is kept per statement id.
   */
  void check(MappedStatement statement, Object parameter, Supplier<Connection> connection) {
    SqlSource source = statement.getSqlSource();
    if (!(source instanceof RawSqlSource || source instanceof StaticSqlSource)) {
      return; // dynamic SQL differs from call to call: checked when it is recorded
    }
    String id = statement.getId();
    String verdict = verdicts.get(id);
    if (verdict == null) {
      String sql = statement.getBoundSql(parameter).getSql();
      String refusal = null;
      if (!calls(sql).isEmpty() && !settings.evaluatesOnEachNode(id) && recorded(sql)) {
        Plan plan = plan(sql, SqlShapes.parse(sql).table(), connection.get());
        refusal = refusal(id, sql, plan);
        if (refusal != null && keyGenerated(statement, sql, plan)) {
          refusal = null; // pinned once capture adds the generated key (see DeltaBuilder)
        }
      }
      verdict = refusal == null ? ALLOWED : refusal;
      if (verdicts.size() >= MAX_ENTRIES) {
        verdicts.clear();
      }
      verdicts.put(id, verdict);
    }
    if (!verdict.isEmpty()) {
      throw new DeltaCaptureException(verdict);
    }
  }

  /**
   * The statement's SQL and parameters as they must be recorded, or null when they are recorded as
   * they are. Call right after the statement changed its row, on its connection.
   *
   * @throws DeltaCaptureException when the SQL calls a node-dependent function and cannot be
   *     recorded by value
   */
  Rewritten rewrite(
      String statementId, String table, String sql, List<Param> params, Connection connection) {
    List<String> found = calls(sql);
    if (found.isEmpty() || settings.evaluatesOnEachNode(statementId)) {
      return null;
    }
    Plan plan = plan(sql, table, connection);
    String refusal = refusal(statementId, sql, plan);
    if (refusal != null) {
      throw new DeltaCaptureException(refusal);
    }
    RowValueRewrite.Result result = plan.result();
    Row row = null;
    try {
      if (result.readsRow()) {
        List<Param> key = new ArrayList<>();
        for (SqlShape.Value value : result.key()) {
          key.add(value.param() >= 0 ? params.get(value.param()) : literal(value.literal()));
        }
        row = RowSql.select(connection, table, plan.keyColumns(), key);
        if (row == null) {
          throw new DeltaCaptureException(
              "Statement "
                  + statementId
                  + " calls "
                  + found.get(0)
                  + ", and DeltaSync found no row of "
                  + table
                  + " with key "
                  + key
                  + " after it ran to read the value it returned");
        }
      }
    } catch (SQLException e) {
      throw new DeltaCaptureException(
          "Statement "
              + statementId
              + " calls "
              + found.get(0)
              + ", and DeltaSync could not read back the row it changed in "
              + table
              + ": "
              + e.getMessage(),
          e);
    }
    List<Param> recorded = new ArrayList<>(result.slots().size());
    for (RowValueRewrite.Slot slot : result.slots()) {
      Param value = slot.column() == null ? params.get(slot.param()) : row.param(slot.column());
      if (value == null) {
        throw new DeltaCaptureException(
            "Statement "
                + statementId
                + ": the row read back from "
                + table
                + " has no column "
                + slot.column());
      }
      recorded.add(value);
    }
    return new Rewritten(result.sql(), List.copyOf(recorded));
  }

  /** The node-dependent calls the SQL makes; kept per SQL text. */
  List<String> calls(String sql) {
    List<String> found = calls.get(sql);
    if (found == null) {
      found = NonDeterministicCalls.in(sql);
      if (calls.size() >= MAX_ENTRIES) {
        calls.clear();
      }
      calls.put(sql, found);
    }
    return found;
  }

  /**
   * Whether the SQL is a one-row INSERT that gives every primary-key column a value of its own
   * except those the database generates and MyBatis reads back ({@code useGeneratedKeys}), which
   * capture adds to the recorded INSERT.
   */
  private static boolean keyGenerated(MappedStatement statement, String sql, Plan plan) {
    if (plan == null
        || statement.getKeyGenerator() instanceof NoKeyGenerator
        || statement.getKeyProperties() == null) {
      return false;
    }
    SqlShape shape = SqlShapes.parse(sql);
    if (shape.kind() != Kind.INSERT || shape.insertColumns().isEmpty()) {
      return false;
    }
    String[] properties = statement.getKeyProperties();
    String[] columns = statement.getKeyColumns();
    Set<String> generated = new HashSet<>();
    for (int i = 0; i < properties.length; i++) {
      String column =
          columns != null && i < columns.length
              ? columns[i]
              : properties[i].substring(properties[i].lastIndexOf('.') + 1);
      generated.add(column.toLowerCase(Locale.ROOT));
    }
    for (String key : plan.keyColumns()) {
      if (!shape.pinned().containsKey(key)
          && (!generated.contains(key) || shape.insertColumns().contains(key))) {
        return false;
      }
    }
    return true;
  }

  /** Whether capture records the SQL's change, as far as its text tells before it runs. */
  private boolean recorded(String sql) {
    SqlShape shape = SqlShapes.parse(sql);
    if (shape.kind() == null) {
      return shape.parseError() != null && settings.recordsTable(null); // else DDL, a call, ...
    }
    return !settings.excludedKinds().contains(shape.kind()) && settings.recordsTable(shape.table());
  }

  /** How SQL is rewritten for its table's key; null when the table is not known. */
  private Plan plan(String sql, String table, Connection connection) {
    if (table == null) {
      return null;
    }
    List<String> keyColumns;
    try {
      keyColumns = primaryKeys.of(connection, table);
    } catch (SQLException e) {
      throw new DeltaCaptureException(
          "could not read the primary key of table " + table + ": " + e, e);
    }
    Plan plan = plans.get(sql);
    if (plan == null || !plan.keyColumns().equals(keyColumns)) {
      plan = new Plan(keyColumns, RowValueRewrite.of(sql, keyColumns));
      if (plans.size() >= MAX_ENTRIES) {
        plans.clear();
      }
      plans.put(sql, plan);
    }
    return plan;
  }

  /** Why SQL that makes node-dependent calls cannot be recorded by value, or null when it can. */
  private String refusal(String statementId, String sql, Plan plan) {
    RowValueRewrite.Result result = plan == null ? null : plan.result();
    if (result != null && result.refusal() == null) {
      return null;
    }
    String function = calls(sql).get(0);
    return "Statement "
        + statementId
        + " calls "
        + function
        + ", which returns a different value on each node, and DeltaSync cannot record the value"
        + " it returned here: "
        + (result == null ? "its table is not known" : result.refusal())
        + ". Change one row by its primary key (UPDATE or DELETE ... WHERE id = ?, an INSERT that"
        + " gives the key) so that DeltaSync records the row's values, pass the value as a"
        + " parameter, or let every node evaluate "
        + function
        + " itself by listing the statement in evaluateOnEachNode"
        + " (deltasync.capture.evaluate-on-each-node); receiving nodes must then allow the"
        + " function (deltasync.node.allowed-functions)";
  }

  private static Param literal(String text) {
    try {
      return new Param(ParamType.LONG, Long.parseLong(text));
    } catch (NumberFormatException e) {
      return new Param(ParamType.STRING, text);
    }
  }
}
