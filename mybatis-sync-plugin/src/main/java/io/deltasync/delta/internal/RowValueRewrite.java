package io.deltasync.delta.internal;

import io.deltasync.delta.Kind;
import io.deltasync.delta.internal.SqlTokens.Token;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;

/**
 * Rewrites a statement that pins one row by its primary key so that it calls no node-dependent
 * function ({@link NonDeterministicCalls}) and still leaves the row as it left it where it first
 * ran: each value that calls one becomes a placeholder for the column's value read back after the
 * statement, and a WHERE, ORDER BY or LIMIT that calls one gives way to the key match alone (the
 * statement changed that row, or nothing would be recorded). Stateless and thread-safe; callers
 * cache the results per SQL.
 *
 * <p>What it cannot rewrite it refuses with the reason: statements that change several rows or rows
 * of other tables (INSERT ... SELECT, several VALUES rows, UPDATE with joins or FROM, DELETE with
 * USING), that do not give or match every primary-key column with a parameter or literal, that
 * change a primary-key column, or that call the function where no column takes its value (a
 * RETURNING list, an ON CONFLICT ... WHERE).
 */
public final class RowValueRewrite {

  /** Marker parameters are numbered from here, above any real placeholder. */
  private static final int MARK = 1_000_000;

  /**
   * Where a placeholder of the rewritten SQL takes its value from.
   *
   * @param param the original statement's 0-based parameter; -1 for a column
   * @param column the row's column (lower case) whose value after the statement it takes; null for
   *     a parameter
   */
  public record Slot(int param, String column) {}

  /**
   * A rewritten statement, or why there is none.
   *
   * @param sql the SQL without node-dependent calls; null when refused
   * @param slots where each of its placeholders takes its value from, in order
   * @param key per primary-key column, in key order, the value the statement pins it to
   * @param refusal why it cannot be rewritten; null when it was
   */
  public record Result(String sql, List<Slot> slots, List<SqlShape.Value> key, String refusal) {

    static Result refused(String refusal) {
      return new Result(null, List.of(), List.of(), refusal);
    }

    /** Whether filling the slots needs the row read back after the statement. */
    public boolean readsRow() {
      return slots.stream().anyMatch(slot -> slot.column() != null);
    }
  }

  private RowValueRewrite() {}

  /**
   * Rewrites SQL that makes node-dependent calls.
   *
   * @param keyColumns the primary-key columns of the table it changes, lower case, in key order
   */
  public static Result of(String sql, List<String> keyColumns) {
    if (keyColumns.isEmpty()) {
      return Result.refused("its table has no primary key, so the row it changes cannot be read");
    }
    SqlShape shape = SqlShapes.parse(sql);
    if (shape.parseError() != null || shape.kind() == null) {
      return Result.refused("its SQL could not be parsed to find the row it changes");
    }
    List<SqlShape.Value> key = new ArrayList<>();
    for (String column : keyColumns) {
      SqlShape.Value value = shape.pinned().get(column);
      if (value == null) {
        return Result.refused(
            shape.kind() == Kind.INSERT
                ? "it does not insert one row with a parameter or literal for each primary-key"
                    + " column "
                    + keyColumns
                : "it does not pin one row by its primary key " + keyColumns);
      }
      key.add(value);
    }
    Statement statement;
    try {
      statement = CCJSqlParserUtil.parse(numbered(sql));
    } catch (JSQLParserException | RuntimeException e) {
      return Result.refused("its SQL could not be parsed to be rewritten");
    }
    List<String> marked = new ArrayList<>();
    String refusal;
    if (statement instanceof Insert insert) {
      refusal = markInsert(insert, shape.insertColumns(), keyColumns, marked);
    } else if (statement instanceof Update update) {
      refusal = markUpdate(update, keyColumns, marked);
    } else if (statement instanceof Delete delete) {
      refusal = markDelete(delete, keyColumns);
    } else {
      refusal = "it is not an INSERT, UPDATE or DELETE";
    }
    if (refusal != null) {
      return Result.refused(refusal);
    }
    return finish(statement.toString(), shape, keyColumns, key, marked);
  }

  private static Result finish(
      String deparsed,
      SqlShape shape,
      List<String> keyColumns,
      List<SqlShape.Value> key,
      List<String> marked) {
    List<String> left = NonDeterministicCalls.in(deparsed);
    if (!left.isEmpty()) {
      return Result.refused(
          "it calls " + left.get(0) + " where no column of the row takes the value it returns");
    }
    List<Slot> slots = new ArrayList<>();
    StringBuilder sql = new StringBuilder();
    List<Token> tokens = SqlTokens.of(deparsed);
    int copied = 0;
    for (int i = 0; i + 1 < tokens.size(); i++) {
      Token token = tokens.get(i);
      Token number = tokens.get(i + 1);
      if (token.isSymbol("?")
          && number.type() == SqlTokens.Type.WORD
          && number.start() == token.start() + 1
          && number.text().chars().allMatch(Character::isDigit)) {
        int index = Integer.parseInt(number.text());
        slots.add(
            index >= MARK ? new Slot(-1, marked.get(index - MARK)) : new Slot(index - 1, null));
        sql.append(deparsed, copied, token.start() + 1);
        copied = number.start() + number.text().length();
      }
    }
    sql.append(deparsed.substring(copied));
    String rewritten = sql.toString();
    SqlShape check = SqlShapes.parse(rewritten);
    boolean keyKept = keyColumns.stream().allMatch(check.pinned()::containsKey);
    if (check.kind() != shape.kind()
        || check.table() == null
        || !check.table().equals(shape.table())
        || check.placeholders() != slots.size()
        || !check.problems().isEmpty()
        || !keyKept) {
      return Result.refused("its SQL could not be rewritten with the row's values");
    }
    return new Result(rewritten, List.copyOf(slots), List.copyOf(key), null);
  }

  private static String markInsert(
      Insert insert, List<String> columns, List<String> keyColumns, List<String> marked) {
    if (columns.isEmpty() || !(insert.getSelect() instanceof Values rows)) {
      return "it does not insert one row of values";
    }
    @SuppressWarnings("unchecked")
    ExpressionList<Expression> values = (ExpressionList<Expression>) rows.getExpressions();
    for (int i = 0; i < values.size(); i++) {
      if (calls(values.get(i))) {
        values.set(i, mark(columns.get(i), marked));
      }
    }
    String refusal = markSets(insert.getDuplicateUpdateSets(), keyColumns, marked);
    if (refusal == null && insert.getConflictAction() != null) {
      refusal = markSets(insert.getConflictAction().getUpdateSets(), keyColumns, marked);
    }
    return refusal;
  }

  private static String markUpdate(Update update, List<String> keyColumns, List<String> marked) {
    if (update.getFromItem() != null
        || (update.getJoins() != null && !update.getJoins().isEmpty())
        || (update.getStartJoins() != null && !update.getStartJoins().isEmpty())) {
      return "it updates through a join or a FROM list";
    }
    for (UpdateSet set : update.getUpdateSets()) {
      for (Column column : set.getColumns()) {
        if (keyColumns.contains(name(column))) {
          return "it changes primary-key column " + name(column);
        }
      }
    }
    String refusal = markSets(update.getUpdateSets(), keyColumns, marked);
    if (refusal == null
        && callsOutsideSets(update.getWhere(), update.getOrderByElements(), update.getLimit())) {
      update.setWhere(keyMatch(update.getWhere(), keyColumns));
      update.setOrderByElements(null);
      update.setLimit(null);
    }
    return refusal;
  }

  private static String markDelete(Delete delete, List<String> keyColumns) {
    if ((delete.getUsingList() != null && !delete.getUsingList().isEmpty())
        || (delete.getJoins() != null && !delete.getJoins().isEmpty())
        || (delete.getTables() != null && !delete.getTables().isEmpty())) {
      return "it deletes through a join or a USING list";
    }
    delete.setWhere(keyMatch(delete.getWhere(), keyColumns));
    delete.setOrderByElements(null);
    delete.setLimit(null);
    return null;
  }

  /** Replaces each assigned value that makes a node-dependent call with a marker. */
  private static String markSets(
      List<UpdateSet> sets, List<String> keyColumns, List<String> marked) {
    if (sets == null) {
      return null;
    }
    for (UpdateSet set : sets) {
      boolean calls = set.getValues().stream().anyMatch(RowValueRewrite::calls);
      if (!calls) {
        continue;
      }
      if (set.getColumns().size() != 1 || set.getValues().size() != 1) {
        return "it sets several columns from one expression that calls "
            + NonDeterministicCalls.in(set.toString()).get(0);
      }
      String column = name(set.getColumn(0));
      if (keyColumns.contains(column)) {
        return "it gives primary-key column " + column + " a node-dependent value";
      }
      @SuppressWarnings("unchecked")
      ExpressionList<Expression> values = (ExpressionList<Expression>) set.getValues();
      values.set(0, mark(column, marked));
    }
    return null;
  }

  private static boolean callsOutsideSets(Object... parts) {
    for (Object part : parts) {
      if (part != null && !NonDeterministicCalls.in(part.toString()).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** The WHERE's own equalities of the key columns, AND-ed: the row the statement pinned. */
  private static Expression keyMatch(Expression where, List<String> keyColumns) {
    Map<String, EqualsTo> equalities = new LinkedHashMap<>();
    collect(where, equalities);
    Expression match = null;
    for (String column : keyColumns) {
      EqualsTo equality = equalities.get(column);
      match = match == null ? equality : new AndExpression(match, equality);
    }
    return match;
  }

  private static void collect(Expression where, Map<String, EqualsTo> equalities) {
    if (where instanceof AndExpression and) {
      collect(and.getLeftExpression(), equalities);
      collect(and.getRightExpression(), equalities);
    } else if (where instanceof EqualsTo equals) {
      for (Expression side : List.of(equals.getLeftExpression(), equals.getRightExpression())) {
        Expression other =
            side == equals.getLeftExpression()
                ? equals.getRightExpression()
                : equals.getLeftExpression();
        if (side instanceof Column column && plainValue(other)) {
          equalities.putIfAbsent(name(column), equals);
        }
      }
    }
  }

  private static boolean plainValue(Expression expression) {
    return expression instanceof JdbcParameter
        || expression instanceof LongValue
        || expression instanceof DoubleValue
        || expression instanceof StringValue;
  }

  private static boolean calls(Expression expression) {
    return !NonDeterministicCalls.in(expression.toString()).isEmpty();
  }

  private static JdbcParameter mark(String column, List<String> marked) {
    marked.add(column);
    return new JdbcParameter(MARK + marked.size() - 1, true, "?");
  }

  private static String name(Column column) {
    return column.getUnquotedColumnName().toLowerCase(Locale.ROOT);
  }

  /** The SQL with its placeholders numbered {@code ?1}, {@code ?2}, ..., so each can be traced. */
  private static String numbered(String sql) {
    StringBuilder numbered = new StringBuilder();
    int copied = 0;
    int index = 0;
    for (Token token : SqlTokens.of(sql)) {
      if (token.isSymbol("?")) {
        numbered.append(sql, copied, token.start() + 1).append(++index);
        copied = token.start() + 1;
      }
    }
    return numbered.append(sql.substring(copied)).toString();
  }
}
