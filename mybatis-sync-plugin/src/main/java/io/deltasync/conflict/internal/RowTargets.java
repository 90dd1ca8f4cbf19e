package io.deltasync.conflict.internal;

import io.deltasync.delta.Delta;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.delta.internal.SqlShape;
import io.deltasync.delta.internal.SqlShapes;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.update.Update;

/** Finds the rows a delta touches at the hub: the one it pins, or those its WHERE matches. */
final class RowTargets {

  /** Rows matched by a multi-row statement beyond this many get no row images. */
  static final int MAX_MATCHED_ROWS = 1_000;

  private final SqlShapes shapes = new SqlShapes();

  /** The table as the delta's SQL writes it. */
  String tableRef(Delta delta) {
    SqlShape shape = shapes.of(delta.sql());
    return shape.tables().size() == 1 ? shape.tables().iterator().next() : delta.table();
  }

  /** The one row the delta pins, with typed key values; null when it pins none. */
  Target pinned(Delta delta, List<String> keyColumns) {
    if (delta.rowKey() == null || delta.table() == null || keyColumns.isEmpty()) {
      return null;
    }
    SqlShape shape = shapes.of(delta.sql());
    List<Param> values = new ArrayList<>();
    for (String column : keyColumns) {
      SqlShape.Value value = shape.pinned().get(column);
      if (value == null) {
        return null;
      }
      if (value.param() >= 0) {
        if (value.param() >= delta.params().size() || delta.params().get(value.param()).isNull()) {
          return null;
        }
        values.add(delta.params().get(value.param()));
      } else {
        values.add(literal(value.literal()));
      }
    }
    return new Target(delta.table(), tableRef(delta), keyColumns, values);
  }

  /**
   * The rows an UPDATE or DELETE that pins no row matches at the hub now; empty when the statement
   * cannot be read that way (an INSERT ... SELECT, ORDER BY or LIMIT, RETURNING) or matches more
   * than {@link #MAX_MATCHED_ROWS}.
   */
  List<Target> matched(Connection connection, Delta delta, List<String> keyColumns)
      throws SQLException {
    if (delta.table() == null || keyColumns.isEmpty()) {
      return List.of();
    }
    Expression where;
    try {
      Statement statement = CCJSqlParserUtil.parse(delta.sql());
      if (statement instanceof Update update
          && update.getLimit() == null
          && update.getOrderByElements() == null
          && update.getReturningClause() == null) {
        where = update.getWhere();
      } else if (statement instanceof Delete delete
          && delete.getLimit() == null
          && delete.getOrderByElements() == null
          && delete.getReturningClause() == null) {
        where = delete.getWhere();
      } else {
        return List.of();
      }
    } catch (JSQLParserException | RuntimeException e) {
      return List.of();
    }
    String whereSql = where == null ? "1 = 1" : where.toString();
    int placeholders = placeholders(whereSql);
    List<Param> params = delta.params();
    if (placeholders > params.size()) {
      return List.of();
    }
    List<List<Param>> keys =
        RowSql.selectKeys(
            connection,
            tableRef(delta),
            keyColumns,
            whereSql,
            params.subList(params.size() - placeholders, params.size()));
    if (keys.size() > MAX_MATCHED_ROWS) {
      return List.of();
    }
    String tableRef = tableRef(delta);
    return keys.stream().map(key -> new Target(delta.table(), tableRef, keyColumns, key)).toList();
  }

  private static Param literal(String text) {
    String trimmed = text.trim();
    if (trimmed.matches("-?\\d{1,18}")) {
      return new Param(ParamType.LONG, Long.parseLong(trimmed));
    }
    if (trimmed.length() >= 2 && trimmed.startsWith("'") && trimmed.endsWith("'")) {
      trimmed = trimmed.substring(1, trimmed.length() - 1).replace("''", "'");
    }
    return new Param(ParamType.STRING, trimmed);
  }

  private static int placeholders(String sql) {
    int count = 0;
    boolean quoted = false;
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
      } else if (c == '?' && !quoted) {
        count++;
      }
    }
    return count;
  }
}
