package io.deltasync.delta.internal;

import io.deltasync.delta.internal.SqlTokens.Token;
import io.deltasync.delta.internal.SqlTokens.Type;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The tables and functions SQL names, found in its tokens rather than in a parse tree: a second
 * look, independent of JSqlParser (whose tree walk skips some clauses, such as window clauses), at
 * SQL in which {@link SqlTokens#problem} found nothing that databases read differently.
 *
 * <p>A function call is a name (possibly qualified, possibly quoted) followed by {@code (}, unless
 * it is one of {@link #NOT_FUNCTIONS} (unquoted and unqualified; SET only where it starts the SET
 * clause), the INSERT target or an {@code AS} alias before its column list, or a type (right after
 * {@code ::}, or after {@code AS} in {@code CAST(...)}).
 *
 * <p>A table is the name after FROM, JOIN, INTO, UPDATE, USING, TABLE, INSERT or DELETE (past ONLY,
 * LATERAL and MariaDB's modifiers), the names after commas that follow it, and the names in a
 * parenthesised table list; but not FROM inside {@code EXTRACT(...)}, {@code TRIM(...)}, {@code
 * SUBSTRING(...)}, {@code SUBSTR(...)}, {@code POSITION(...)} or {@code OVERLAY(...)}, nor in
 * {@code IS [NOT] DISTINCT FROM}, nor UPDATE after FOR, KEY or DO. Names are unquoted, lower case
 * and qualified as written.
 *
 * <p>A function that databases call without parentheses ({@link #NILADIC}: {@code current_user},
 * {@code user}, {@code current_timestamp}, ...) counts as a call where it stands as a bare word.
 *
 * <p>It also finds what a node must not run whatever its tables and functions: regular-expression
 * operators ({@code REGEXP}, {@code RLIKE}, {@code SIMILAR TO}, {@code ~}), sequence access ({@code
 * NEXT VALUE FOR s}, {@code s.nextval}), MariaDB variables ({@code @v}, {@code @@v}), a {@code ;}
 * before the end, and a statement that does not begin with INSERT, UPDATE, DELETE or WITH. Erring
 * means naming more, never fewer: whatever is named must then be allowed.
 */
final class SqlText {

  /** Keywords that may stand before {@code (} without being a function call. */
  static final Set<String> NOT_FUNCTIONS =
      Set.of(
          "ALL",
          "AND",
          "ANY",
          "BY",
          "CASE",
          "CAST",
          "CONFLICT",
          "ELSE",
          "EXISTS",
          "EXTRACT",
          "FROM",
          "IN",
          "JOIN",
          "NOT",
          "ON",
          "OR",
          "RETURNING",
          "ROW",
          "SELECT",
          "SET",
          "SOME",
          "THEN",
          "USING",
          "VALUES",
          "WHEN",
          "WHERE");

  /**
   * Functions that databases call without parentheses: as bare words they are calls, so they must
   * be allowed like any other function ({@code current_user} writes the database user into a row).
   */
  static final Set<String> NILADIC =
      Set.of(
          "CURRENT_CATALOG",
          "CURRENT_DATE",
          "CURRENT_PATH",
          "CURRENT_ROLE",
          "CURRENT_SCHEMA",
          "CURRENT_TIME",
          "CURRENT_TIMESTAMP",
          "CURRENT_USER",
          "LOCALTIME",
          "LOCALTIMESTAMP",
          "SESSION_USER",
          "SYSTEM_USER",
          "USER",
          "UTC_DATE",
          "UTC_TIME",
          "UTC_TIMESTAMP");

  /** Regular-expression operators, whose cost no timeout bounds on every database. */
  private static final Set<String> REGEX_OPERATORS = Set.of("REGEXP", "RLIKE", "SIMILAR");

  private static final String REGEX =
      "regular expressions (REGEXP, RLIKE, SIMILAR TO, ~) are not applied: a backtracking"
          + " pattern can run longer than any timeout";

  /** Functions whose parentheses may hold a FROM that names no table. */
  private static final Set<String> FROM_INSIDE =
      Set.of("EXTRACT", "TRIM", "SUBSTRING", "SUBSTR", "POSITION", "OVERLAY");

  /** Words that may come between a table-introducing keyword and the table name. */
  private static final Set<String> TABLE_MODIFIERS =
      Set.of("ONLY", "LATERAL", "IGNORE", "LOW_PRIORITY", "QUICK", "DELAYED", "HIGH_PRIORITY");

  /** Words that start a subquery in parentheses, rather than a parenthesised table list. */
  private static final Set<String> SUBQUERY_STARTS = Set.of("SELECT", "WITH", "VALUES", "TABLE");

  /** Words after a table name that are not its alias. */
  private static final Set<String> NOT_ALIASES =
      Set.of(
          "AS",
          "CROSS",
          "DEFAULT",
          "DO",
          "EXCEPT",
          "FETCH",
          "FOR",
          "FORCE",
          "FROM",
          "FULL",
          "GROUP",
          "HAVING",
          "IGNORE",
          "INNER",
          "INTERSECT",
          "JOIN",
          "LEFT",
          "LIMIT",
          "MINUS",
          "NATURAL",
          "OFFSET",
          "ON",
          "ORDER",
          "OUTER",
          "OVERRIDING",
          "PARTITION",
          "RETURNING",
          "RIGHT",
          "SELECT",
          "SET",
          "STRAIGHT_JOIN",
          "TABLESAMPLE",
          "UNION",
          "USE",
          "USING",
          "VALUES",
          "WHERE",
          "WINDOW",
          "WITH");

  private final String sql;
  private final List<Token> tokens;
  private final boolean[] notCalls;
  private final boolean[] setClauses;
  final Set<String> tables = new LinkedHashSet<>();
  final Set<String> functions = new LinkedHashSet<>();
  final Set<String> problems = new LinkedHashSet<>();

  private SqlText(String sql) {
    this.sql = sql;
    this.tokens = SqlTokens.of(sql);
    this.notCalls = new boolean[tokens.size()];
    this.setClauses = new boolean[tokens.size()];
  }

  /** Reads the SQL's tables, functions and the constructs a receiving node must not run. */
  static SqlText of(String sql) {
    SqlText text = new SqlText(sql);
    text.read();
    return text;
  }

  private static final class Paren {
    final String opener;
    boolean afterAs;

    Paren(String opener) {
      this.opener = opener;
    }
  }

  private void read() {
    int n = tokens.size();
    if (n == 0) {
      return;
    }
    String first = tokens.get(0).keyword();
    if (first == null || !Set.of("INSERT", "UPDATE", "DELETE", "WITH").contains(first)) {
      problems.add(
          "only INSERT, UPDATE and DELETE are applied, but its SQL begins with "
              + tokens.get(0).text());
    }
    Deque<Paren> parens = new ArrayDeque<>();
    for (int i = 0; i < n; i++) {
      Token token = tokens.get(i);
      if (token.type() == Type.SYMBOL) {
        switch (token.text()) {
          case "(" -> parens.push(new Paren(opener(i)));
          case ")" -> parens.poll();
          case ";" -> {
            if (i != n - 1) {
              problems.add("expected exactly one statement, but its SQL has a ; before its end");
            }
          }
          case "@" -> {
            if (readsVariable(token.start())) {
              problems.add("it reads or sets a variable (@...), which is not replicated");
            }
          }
          case "~" -> problems.add(REGEX);
          case "::" -> {
            if (i + 1 < n) {
              notCalls[i + 1] = true; // a type, perhaps with its precision: x::varchar(20)
            }
          }
          default -> {}
        }
        continue;
      }
      if (!token.isName() || isDot(i - 1)) {
        continue; // a literal, or the second part of a qualified name
      }
      Paren paren = parens.peek();
      String keyword = token.keyword();
      if (keyword != null) {
        readKeyword(i, keyword, paren);
      }
      if (keyword != null && REGEX_OPERATORS.contains(keyword)) {
        problems.add(REGEX);
      }
      int end = endOfName(i);
      if (end < n && tokens.get(end).isSymbol("(") && isCall(i, end, keyword, paren)) {
        functions.add(nameOf(i, end));
      } else if (end == i + 1 && keyword != null && NILADIC.contains(keyword)) {
        functions.add(token.name());
      }
      if (end - i > 1) {
        String last = tokens.get(end - 1).keyword();
        if ("NEXTVAL".equals(last) || "CURRVAL".equals(last)) {
          problems.add("sequence access is not applied");
        }
      }
    }
  }

  private void readKeyword(int i, String keyword, Paren paren) {
    switch (keyword) {
      case "AS" -> {
        if (paren != null && "CAST".equals(paren.opener)) {
          paren.afterAs = true;
        }
      }
      case "FROM" -> {
        if ((paren == null || !FROM_INSIDE.contains(String.valueOf(paren.opener)))
            && !isDistinctFrom(i)) {
          tableList(i + 1, true);
        }
      }
      case "JOIN", "STRAIGHT_JOIN", "TABLE" -> tableList(i + 1, false);
      case "INTO" -> tableRef(i + 1, true);
      case "USING" -> {
        if (i + 1 < tokens.size() && !tokens.get(i + 1).isSymbol("(")) {
          tableList(i + 1, true); // DELETE ... USING t1, t2; JOIN ... USING (columns) names none
        }
      }
      case "UPDATE" -> {
        String before = i > 0 ? tokens.get(i - 1).keyword() : null;
        if ("DO".equals(before)) {
          markSetClause(i + 1);
        } else if (!"FOR".equals(before) && !"KEY".equals(before)) {
          markSetClause(tableList(i + 1, true));
        }
      }
      case "INSERT" -> {
        int j = skipModifiers(i + 1);
        if (j < tokens.size() && !tokens.get(j).isWord("INTO") && tokens.get(j).isName()) {
          tableRef(j, true); // MariaDB: INSERT [INTO] is optional
        }
      }
      case "DELETE" -> {
        int j = skipModifiers(i + 1);
        if (j < tokens.size() && !tokens.get(j).isWord("FROM") && tokens.get(j).isName()) {
          tableList(j, true); // MariaDB: DELETE t1, t2 FROM ...
        }
      }
      case "VALUE" -> {
        if (i + 1 < tokens.size() && tokens.get(i + 1).isWord("FOR")) {
          problems.add("sequence access is not applied"); // NEXT / CURRENT / PREVIOUS VALUE FOR
        }
      }
      default -> {}
    }
  }

  private void markSetClause(int i) {
    if (i < tokens.size() && tokens.get(i).isWord("SET")) {
      setClauses[i] = true;
    }
  }

  /** Reads table references separated by commas (when allowed); returns where they end. */
  private int tableList(int start, boolean commas) {
    int i = tableRef(start, false);
    while (commas && i < tokens.size() && tokens.get(i).isSymbol(",")) {
      i = tableRef(i + 1, false);
    }
    return i;
  }

  /**
   * Reads one table reference: a name, or a parenthesised subquery or a function call (whose
   * contents are read where they stand), with its alias; returns where it ends.
   */
  private int tableRef(int start, boolean insertTarget) {
    int n = tokens.size();
    int i = skipModifiers(start);
    if (i >= n) {
      return i;
    }
    if (tokens.get(i).isSymbol("(")) {
      Token inside = i + 1 < n ? tokens.get(i + 1) : null;
      if (inside != null
          && (inside.isSymbol("(")
              || (inside.isName()
                  && !SUBQUERY_STARTS.contains(String.valueOf(inside.keyword()))))) {
        tableList(i + 1, true); // MariaDB: FROM (t1, t2), FROM (t1 JOIN t2 ON ...)
      }
      i = afterParens(i);
    } else if (tokens.get(i).isName()) {
      int end = endOfName(i);
      boolean parenthesis = end < n && tokens.get(end).isSymbol("(");
      if (!parenthesis || insertTarget) {
        tables.add(nameOf(i, end));
      }
      if (parenthesis && insertTarget) {
        notCalls[i] = true; // the column list
        return end;
      }
      i = parenthesis ? afterParens(end) : end;
    } else {
      return i;
    }
    if (i < n && tokens.get(i).isWord("AS")) {
      i++;
      if (i < n && tokens.get(i).isName()) {
        int end = endOfName(i);
        if (end < n && tokens.get(end).isSymbol("(")) {
          notCalls[i] = true; // the alias's column list
          return insertTarget ? end : afterParens(end);
        }
        return end;
      }
    } else if (i < n
        && tokens.get(i).isName()
        && !NOT_ALIASES.contains(String.valueOf(tokens.get(i).keyword()))) {
      return endOfName(i);
    }
    return i;
  }

  private int skipModifiers(int start) {
    int i = start;
    while (i < tokens.size() && TABLE_MODIFIERS.contains(String.valueOf(tokens.get(i).keyword()))) {
      i++;
    }
    return i;
  }

  private boolean isCall(int start, int end, String keyword, Paren paren) {
    if (notCalls[start]) {
      return false;
    }
    if (end - start == 1 && keyword != null && NOT_FUNCTIONS.contains(keyword)) {
      return keyword.equals("SET") && !setClauses[start]; // SET(...) is H2's variable function
    }
    return paren == null || !"CAST".equals(paren.opener) || !paren.afterAs; // a type's precision
  }

  /** IS [NOT] DISTINCT FROM compares; it names no table. */
  private boolean isDistinctFrom(int from) {
    if (from < 2 || !tokens.get(from - 1).isWord("DISTINCT")) {
      return false;
    }
    Token before = tokens.get(from - 2);
    return before.isWord("IS")
        || (before.isWord("NOT") && from >= 3 && tokens.get(from - 3).isWord("IS"));
  }

  /** The unquoted, unqualified keyword before the parenthesis at i, or null. */
  private String opener(int i) {
    if (i == 0 || isDot(i - 2)) {
      return null;
    }
    return tokens.get(i - 1).keyword();
  }

  /** Where the (possibly qualified) name starting at i ends. */
  private int endOfName(int i) {
    int end = i + 1;
    while (isDot(end) && end + 1 < tokens.size() && tokens.get(end + 1).isName()) {
      end += 2;
    }
    return end;
  }

  /** The name from start to end, unquoted, lower case, its parts joined by dots. */
  private String nameOf(int start, int end) {
    StringBuilder name = new StringBuilder();
    for (int i = start; i < end; i += 2) {
      if (i > start) {
        name.append('.');
      }
      name.append(tokens.get(i).name());
    }
    return name.toString();
  }

  private int afterParens(int open) {
    int depth = 0;
    for (int i = open; i < tokens.size(); i++) {
      if (tokens.get(i).isSymbol("(")) {
        depth++;
      } else if (tokens.get(i).isSymbol(")") && --depth == 0) {
        return i + 1;
      }
    }
    return tokens.size();
  }

  private boolean isDot(int i) {
    return i >= 0 && i < tokens.size() && tokens.get(i).isSymbol(".");
  }

  /** MariaDB's {@code @name}, {@code @'name'}, {@code @@name}: a user or system variable. */
  private boolean readsVariable(int at) {
    int i = at + 1;
    if (i < sql.length() && sql.charAt(i) == '@') {
      i++;
    }
    if (i >= sql.length()) {
      return false;
    }
    char c = sql.charAt(i);
    return Character.isLetterOrDigit(c)
        || c == '_'
        || c == '$'
        || c == '\''
        || c == '"'
        || c == '`';
  }
}
