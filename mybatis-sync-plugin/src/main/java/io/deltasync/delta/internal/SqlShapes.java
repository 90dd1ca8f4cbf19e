package io.deltasync.delta.internal;

import io.deltasync.delta.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NextValExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * Parses SQL into {@link SqlShape}s with JSqlParser, caching by SQL string. Thread-safe.
 *
 * <p>The cache holds at most {@value #MAX_ENTRIES} shapes and starts over when full, which only
 * happens with SQL built from unbounded dynamic fragments.
 */
public final class SqlShapes {

  private static final int MAX_ENTRIES = 10_000;
  private static final String WINDOWS = "window functions (OVER) are not applied";

  private final Map<String, SqlShape> cache = new ConcurrentHashMap<>();
  private final Map<String, String> lexical = new ConcurrentHashMap<>();

  /** The shape of the SQL, parsed once per distinct string. */
  public SqlShape of(String sql) {
    return cached(cache, sql, SqlShapes::parse);
  }

  /**
   * {@link #lexicalProblem}, found once per distinct string as shapes are: the deltas of one
   * statement share its text, and a receiver checks each delta twice (as its batch arrives, and as
   * it applies), where reading the text token by token was a tenth of a hub's work.
   */
  public String lexicalProblemOf(String sql) {
    String problem =
        cached(lexical, sql, text -> Objects.requireNonNullElse(lexicalProblem(text), ""));
    return problem.isEmpty() ? null : problem;
  }

  /** The value of the key, found once per distinct key; the cache starts over when full. */
  private static <V> V cached(
      Map<String, V> cache, String key, java.util.function.Function<String, V> find) {
    V value = cache.get(key);
    if (value == null) {
      if (cache.size() >= MAX_ENTRIES) {
        cache.clear();
      }
      value = find.apply(key);
      cache.put(key, value);
    }
    return value;
  }

  /**
   * Why databases might read the SQL differently from this class (and JSqlParser), or null when
   * they cannot; see {@link SqlTokens}. A node checks this before it parses a delta's SQL.
   */
  public static String lexicalProblem(String sql) {
    String problem = SqlTokens.problem(sql);
    return problem != null ? problem : SqlTokens.sizeProblem(sql);
  }

  /**
   * Parses without the cache. SQL nested too deeply for the parser's recursion is reported as not
   * parsed, never as a {@link StackOverflowError}.
   */
  public static SqlShape parse(String sql) {
    try {
      return parseChecked(sql);
    } catch (StackOverflowError e) {
      return SqlShape.unknown(0, Placeholders.count(sql), "it is nested too deeply to be parsed");
    }
  }

  private static SqlShape parseChecked(String sql) {
    int placeholders = Placeholders.count(sql);
    Statements statements;
    try {
      statements = CCJSqlParserUtil.parseStatements(sql);
    } catch (JSQLParserException | RuntimeException e) {
      String reason = e.getMessage() == null ? e.toString() : firstLine(e.getMessage());
      return SqlShape.unknown(0, placeholders, reason);
    }
    if (statements.size() != 1) {
      return SqlShape.unknown(statements.size(), placeholders, null);
    }
    Statement statement = statements.get(0);
    Set<String> tables = new LinkedHashSet<>();
    FunctionFinder finder = new FunctionFinder();
    try {
      for (String name : finder.getTables(statement)) {
        tables.add(qualified(name));
      }
    } catch (UnsupportedOperationException e) {
      // the finder rejects some statements (CALL, SET, ...); a DML statement whose tables are
      // unknown must not look like one that names none, so it counts as not parsed
      if (statement instanceof Insert
          || statement instanceof Update
          || statement instanceof Delete) {
        return SqlShape.unknown(0, placeholders, e.getMessage());
      }
    }
    String type = statement.getClass().getSimpleName();
    Map<String, SqlShape.Value> pinned = new HashMap<>();
    List<String> insertColumns = List.of();
    Kind kind;
    String table;
    if (statement instanceof Insert insert) {
      kind = Kind.INSERT;
      table = normalize(insert.getTable().getFullyQualifiedName());
      insertColumns = singleRowColumns(insert, pinned);
    } else if (statement instanceof Update update) {
      kind = Kind.UPDATE;
      table = normalize(update.getTable().getFullyQualifiedName());
      pinWhere(update.getWhere(), pinned);
      if (update.getJoins() != null && !update.getJoins().isEmpty()) {
        pinned.clear();
      }
    } else if (statement instanceof Delete delete) {
      kind = Kind.DELETE;
      table = normalize(delete.getTable().getFullyQualifiedName());
      pinWhere(delete.getWhere(), pinned);
      if (delete.getTables() != null && !delete.getTables().isEmpty()) {
        pinned.clear();
      }
    } else {
      kind = null;
      table = null;
    }
    // a second look, in the SQL's tokens: JSqlParser does not walk every clause (window clauses)
    Set<String> functions = new LinkedHashSet<>(finder.functions);
    List<String> problems = new ArrayList<>(finder.problems);
    try {
      SqlText text = SqlText.of(sql);
      tables.addAll(text.tables);
      functions.addAll(text.functions);
      text.problems.stream().filter(p -> !problems.contains(p)).forEach(problems::add);
    } catch (RuntimeException e) {
      problems.add("its SQL could not be checked: " + e); // a bug here must not let SQL through
    }
    return new SqlShape(
        kind,
        type,
        1,
        table,
        Set.copyOf(tables),
        Set.copyOf(functions),
        List.copyOf(problems),
        placeholders,
        insertColumns,
        Map.copyOf(pinned),
        null);
  }

  /**
   * Collects the functions a statement calls while it walks it for tables, and the constructs a
   * node must not apply: window functions and ordered-set aggregates (the finder does not walk
   * their clauses, and so would miss the tables and functions there), aggregate filters, and
   * sequence access ({@code NEXT VALUE FOR}, which is not a {@link Function}).
   */
  private static final class FunctionFinder extends TablesNamesFinder<Void> {
    private final Set<String> functions = new LinkedHashSet<>();
    private final Set<String> problems = new LinkedHashSet<>();

    @Override
    public <S> Void visit(AnalyticExpression analytic, S context) {
      problems.add(
          switch (analytic.getType()) {
            case WITHIN_GROUP -> "ordered-set aggregates (WITHIN GROUP) are not applied";
            case FILTER_ONLY -> "aggregate filters (FILTER) are not applied";
            default -> WINDOWS;
          });
      return null;
    }

    @Override
    public <S> Void visit(NextValExpression nextVal, S context) {
      problems.add("sequence access is not applied");
      return null;
    }

    @Override
    public <S> Void visit(PlainSelect select, S context) {
      if (select.getWindowDefinitions() != null && !select.getWindowDefinitions().isEmpty()) {
        problems.add(WINDOWS);
      }
      return super.visit(select, context);
    }

    @Override
    public <S> Void visit(Function function, S context) {
      List<String> parts = function.getMultipartName();
      String name = parts == null || parts.isEmpty() ? function.getName() : String.join(".", parts);
      functions.add(
          String.valueOf(name).replace("\"", "").replace("`", "").toLowerCase(Locale.ROOT));
      return super.visit(function, context);
    }
  }

  /**
   * A table name as written, without quotes, lower case: {@code "PUBLIC"."Note"} is public.note.
   */
  private static String qualified(String qualifiedName) {
    StringBuilder name = new StringBuilder();
    int start = 0;
    for (int dot : dotsOutsideQuotes(qualifiedName)) {
      name.append(unquoted(qualifiedName.substring(start, dot).strip())).append('.');
      start = dot + 1;
    }
    name.append(unquoted(qualifiedName.substring(start).strip()));
    return name.toString().toLowerCase(Locale.ROOT);
  }

  private static String unquoted(String part) {
    if (part.length() >= 2
        && (part.startsWith("\"") || part.startsWith("`") || part.startsWith("["))) {
      String quote = part.substring(0, 1);
      String inner = part.substring(1, part.length() - 1);
      return quote.equals("[") ? inner : inner.replace(quote + quote, quote);
    }
    return part;
  }

  private static List<Integer> dotsOutsideQuotes(String name) {
    List<Integer> dots = new ArrayList<>();
    char quote = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '`') {
        quote = c;
      } else if (c == '[') {
        quote = ']';
      } else if (c == '.') {
        dots.add(i);
      }
    }
    return dots;
  }

  /** A table name without schema or quotes, lower case. */
  public static String normalize(String qualifiedName) {
    String name = qualifiedName;
    int dot = lastDotOutsideQuotes(name);
    if (dot >= 0) {
      name = name.substring(dot + 1);
    }
    if (name.length() >= 2
        && (name.startsWith("\"") || name.startsWith("`") || name.startsWith("["))) {
      name = name.substring(1, name.length() - 1);
    }
    return name.toLowerCase(Locale.ROOT);
  }

  private static int lastDotOutsideQuotes(String name) {
    boolean quoted = false;
    for (int i = name.length() - 1; i >= 0; i--) {
      char c = name.charAt(i);
      if (c == '"' || c == '`') {
        quoted = !quoted;
      } else if (c == '.' && !quoted) {
        return i;
      }
    }
    return -1;
  }

  private static List<String> singleRowColumns(Insert insert, Map<String, SqlShape.Value> pinned) {
    // INSERT ... SELECT has no VALUES list (and getValues() would throw a ClassCastException)
    if (insert.getColumns() == null || !(insert.getSelect() instanceof Values rows)) {
      return List.of();
    }
    ExpressionList<?> values = rows.getExpressions();
    if (values == null || values.size() != insert.getColumns().size()) {
      return List.of();
    }
    List<String> columns = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      Expression value = values.get(i);
      if (value instanceof ExpressionList<?>) {
        return List.of();
      }
      String column = insert.getColumns().get(i).getUnquotedColumnName().toLowerCase(Locale.ROOT);
      columns.add(column);
      SqlShape.Value pin = valueOf(value);
      if (pin != null) {
        pinned.put(column, pin);
      }
    }
    return List.copyOf(columns);
  }

  private static void pinWhere(Expression where, Map<String, SqlShape.Value> pinned) {
    if (where instanceof AndExpression and) {
      pinWhere(and.getLeftExpression(), pinned);
      pinWhere(and.getRightExpression(), pinned);
    } else if (where instanceof EqualsTo equals) {
      pinEquality(equals.getLeftExpression(), equals.getRightExpression(), pinned);
      pinEquality(equals.getRightExpression(), equals.getLeftExpression(), pinned);
    }
  }

  private static void pinEquality(
      Expression columnSide, Expression valueSide, Map<String, SqlShape.Value> pinned) {
    if (columnSide instanceof Column column) {
      SqlShape.Value value = valueOf(valueSide);
      if (value != null) {
        pinned.put(column.getUnquotedColumnName().toLowerCase(Locale.ROOT), value);
      }
    }
  }

  private static SqlShape.Value valueOf(Expression expression) {
    if (expression instanceof JdbcParameter parameter && parameter.getIndex() != null) {
      return new SqlShape.Value(parameter.getIndex() - 1, null);
    }
    if (expression instanceof LongValue number) {
      return new SqlShape.Value(-1, number.getStringValue());
    }
    if (expression instanceof DoubleValue number) {
      return new SqlShape.Value(-1, String.valueOf(number.getValue()));
    }
    if (expression instanceof StringValue text) {
      return new SqlShape.Value(-1, text.getValue());
    }
    return null;
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
