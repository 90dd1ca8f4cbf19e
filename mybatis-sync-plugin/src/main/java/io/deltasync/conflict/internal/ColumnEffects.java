package io.deltasync.conflict.internal;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.operators.arithmetic.Addition;
import net.sf.jsqlparser.expression.operators.arithmetic.Subtraction;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;

/**
 * What an UPDATE of one row writes and reads, so that two changes of a row made without seeing each
 * other can be told to commute. They commute when each column both write is changed additively by
 * both ({@code qty = qty - ?}, {@code qty = qty + ?}: applied in either order, the result is the
 * same) and neither reads a column the other writes (in its SET expressions or its WHERE clause).
 * Anything else, and any statement this class cannot read so (an INSERT, a DELETE, a subquery, a
 * row image), conflicts. Thread-safe.
 *
 * @param writes the columns the statement sets, lower case
 * @param additive the written columns it changes only by adding or subtracting values that read no
 *     column
 * @param reads the columns its SET expressions (other than an additive column's own) and its WHERE
 *     clause read
 */
public record ColumnEffects(Set<String> writes, Set<String> additive, Set<String> reads) {

  private static final int MAX_ENTRIES = 10_000;
  private static final Map<String, Optional<ColumnEffects>> CACHE = new ConcurrentHashMap<>();

  public ColumnEffects {
    writes = Set.copyOf(writes);
    additive = Set.copyOf(additive);
    reads = Set.copyOf(reads);
  }

  /** The effects of the SQL, or empty when it is not an UPDATE this class can read so. */
  public static Optional<ColumnEffects> of(String sql) {
    Optional<ColumnEffects> effects = CACHE.get(sql);
    if (effects == null) {
      if (CACHE.size() >= MAX_ENTRIES) {
        CACHE.clear();
      }
      effects = read(sql);
      CACHE.put(sql, effects);
    }
    return effects;
  }

  /** Whether this change and the other, made without seeing each other, may both apply. */
  public boolean commutesWith(ColumnEffects other) {
    for (String column : writes) {
      if (other.writes.contains(column)
          && !(additive.contains(column) && other.additive.contains(column))) {
        return false;
      }
    }
    return reads.stream().noneMatch(other.writes::contains)
        && other.reads.stream().noneMatch(writes::contains);
  }

  private static Optional<ColumnEffects> read(String sql) {
    Statement statement;
    try {
      statement = CCJSqlParserUtil.parse(sql);
    } catch (JSQLParserException | RuntimeException | StackOverflowError e) {
      return Optional.empty();
    }
    if (!(statement instanceof Update update)
        || (update.getJoins() != null && !update.getJoins().isEmpty())
        || update.getFromItem() != null
        || update.getStartJoins() != null && !update.getStartJoins().isEmpty()) {
      return Optional.empty();
    }
    Set<String> writes = new LinkedHashSet<>();
    Set<String> additive = new HashSet<>();
    Set<String> reads = new HashSet<>();
    for (UpdateSet set : update.getUpdateSets()) {
      if (set.getColumns().size() != set.getValues().size()) {
        return Optional.empty(); // (a, b) = (SELECT ...)
      }
      for (int i = 0; i < set.getColumns().size(); i++) {
        String column = name(set.getColumns().get(i));
        Expression value = set.getValues().get(i);
        Optional<Set<String>> read = columnsOf(value);
        if (read.isEmpty()) {
          return Optional.empty();
        }
        if (!writes.add(column)) {
          return Optional.empty(); // set twice: leave such statements to the policy
        }
        if (isAdditiveOn(value, column)) {
          additive.add(column);
        } else {
          reads.addAll(read.get());
        }
      }
    }
    if (update.getWhere() != null) {
      Optional<Set<String>> read = columnsOf(update.getWhere());
      if (read.isEmpty()) {
        return Optional.empty();
      }
      reads.addAll(read.get());
    }
    return Optional.of(new ColumnEffects(writes, additive, reads));
  }

  /** Whether the expression is the column plus or minus terms that read no column. */
  private static boolean isAdditiveOn(Expression expression, String column) {
    Expression e = unwrap(expression);
    if (e instanceof Column c) {
      return name(c).equals(column);
    }
    if (e instanceof Addition add) {
      return (isAdditiveOn(add.getLeftExpression(), column)
              && readsNothing(add.getRightExpression()))
          || (readsNothing(add.getLeftExpression())
              && isAdditiveOn(add.getRightExpression(), column));
    }
    if (e instanceof Subtraction sub) {
      return isAdditiveOn(sub.getLeftExpression(), column)
          && readsNothing(sub.getRightExpression());
    }
    return false;
  }

  private static boolean readsNothing(Expression expression) {
    return columnsOf(expression).map(Set::isEmpty).orElse(false);
  }

  private static Expression unwrap(Expression expression) {
    Expression e = expression;
    while (e instanceof ParenthesedExpressionList<?> list && list.size() == 1) {
      e = list.get(0);
    }
    return e;
  }

  /** The columns an expression reads, or empty when it holds a subquery. */
  private static Optional<Set<String>> columnsOf(Expression expression) {
    Set<String> columns = new HashSet<>();
    boolean[] subquery = {false};
    expression.accept(
        new ExpressionVisitorAdapter<Void>() {
          @Override
          public <S> Void visit(Column column, S context) {
            columns.add(name(column));
            return null;
          }

          @Override
          public <S> Void visit(ParenthesedSelect select, S context) {
            subquery[0] = true;
            return null;
          }

          @Override
          public <S> Void visit(Select select, S context) {
            subquery[0] = true;
            return null;
          }
        },
        null);
    return subquery[0] ? Optional.empty() : Optional.of(columns);
  }

  private static String name(Column column) {
    return column.getUnquotedColumnName().toLowerCase(Locale.ROOT);
  }
}
