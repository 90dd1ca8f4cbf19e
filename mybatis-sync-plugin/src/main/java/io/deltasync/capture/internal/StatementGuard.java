package io.deltasync.capture.internal;

import io.deltasync.capture.CaptureSettings;
import io.deltasync.capture.DeltaCaptureException;
import io.deltasync.delta.Kind;
import io.deltasync.delta.internal.SqlShapes;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.delete.ParenthesedDelete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.insert.ParenthesedInsert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.update.ParenthesedUpdate;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.upsert.Upsert;
import net.sf.jsqlparser.statement.upsert.UpsertType;
import org.apache.ibatis.mapping.BoundSql;
import org.apache.ibatis.mapping.MappedStatement;

/**
 * Refuses, before they run, mapped statements whose changes DeltaSync would otherwise lose without
 * a word: MERGE and UPSERT/REPLACE (no single kind or row to record), SQL holding several
 * statements that change data, and changes mapped as queries ({@code <select>} running {@code
 * INSERT ... RETURNING}), and statements calling node-dependent functions whose values cannot be
 * recorded ({@link NonDeterministicSql}). Statements the criteria leave out are let through.
 *
 * <p>The verdict is taken from the statement's first SQL and kept per mapped statement id, so a
 * check costs a map lookup. Thread-safe.
 */
final class StatementGuard {

  private static final int MAX_ENTRIES = 10_000;

  /** The verdict of a statement that may run; any other verdict is why it may not. */
  private static final String ALLOWED = "";

  private static final Set<Kind> ALL_KINDS = EnumSet.allOf(Kind.class);

  /** A data change inside a query that the parser did not understand, e.g. H2's FINAL TABLE. */
  private static final Pattern UNPARSED_CHANGE =
      Pattern.compile(
          "^[\\s(]*(insert|update|delete|merge|upsert|replace)\\b"
              + "|\\b(final|new|old)\\s+table\\s*\\(\\s*(insert|update|delete|merge)\\b",
          Pattern.CASE_INSENSITIVE);

  /**
   * Transaction control written as SQL, which capture cannot follow: a ROLLBACK or COMMIT that
   * MyBatis does not run itself, or a savepoint a rollback may later return to.
   */
  private static final Pattern TRANSACTION_CONTROL =
      Pattern.compile(
          "^\\s*(?:/\\*.*?\\*/\\s*|--[^\\n]*\\n\\s*)*"
              + "(savepoint|rollback|release|commit|start\\s+transaction)\\b",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  /** A statement's change of one table; kinds are those it may make. */
  private record Change(String what, String table, Set<Kind> kinds) {}

  private final CaptureSettings settings;
  private final NonDeterministicSql nonDeterministic;
  private final Map<String, String> updates = new ConcurrentHashMap<>();
  private final Map<String, String> queries = new ConcurrentHashMap<>();

  StatementGuard(CaptureSettings settings, NonDeterministicSql nonDeterministic) {
    this.settings = settings;
    this.nonDeterministic = nonDeterministic;
  }

  /**
   * Throws when the statement, run through {@code Executor.update}, could not be recorded; its
   * session's connection is asked for only when node-dependent calls need the table's key.
   */
  void checkUpdate(MappedStatement statement, Object parameter, Supplier<Connection> connection) {
    refuseIf(verdict(updates, statement, parameter, null, false));
    if (settings.statements().selects(statement.getId())) {
      nonDeterministic.check(statement, parameter, connection);
    }
  }

  /** Throws when the statement, run as a query, would change data that is recorded. */
  void checkQuery(MappedStatement statement, Object parameter, BoundSql boundSql) {
    refuseIf(verdict(queries, statement, parameter, boundSql, true));
  }

  /**
   * Why an executed update statement's SQL cannot be recorded, or null when it either can be or
   * changes nothing recorded. Not cached: for SQL whose verdict differs from its statement's first.
   */
  String updateRefusal(String statementId, String sql) {
    return refusal(statementId, sql, false);
  }

  private static void refuseIf(String verdict) {
    if (!verdict.isEmpty()) {
      throw new DeltaCaptureException(verdict);
    }
  }

  private String verdict(
      Map<String, String> cache,
      MappedStatement statement,
      Object parameter,
      BoundSql boundSql,
      boolean query) {
    String id = statement.getId();
    String verdict = cache.get(id);
    if (verdict == null) {
      if (!settings.statements().selects(id)) {
        verdict = ALLOWED;
      } else {
        String sql;
        try {
          sql = (boundSql == null ? statement.getBoundSql(parameter) : boundSql).getSql();
        } catch (RuntimeException e) {
          return ALLOWED; // MyBatis reports this itself when it runs the statement
        }
        String refusal = refusal(id, sql, query);
        verdict = refusal == null ? ALLOWED : refusal;
      }
      if (cache.size() >= MAX_ENTRIES) {
        cache.clear();
      }
      cache.put(id, verdict);
    }
    return verdict;
  }

  private String refusal(String statementId, String sql, boolean query) {
    Matcher control = TRANSACTION_CONTROL.matcher(sql);
    if (control.lookingAt()) {
      return "Statement "
          + statementId
          + " runs "
          + control.group(1).toUpperCase(Locale.ROOT)
          + " as SQL, which DeltaSync cannot follow: the deltas of a transaction are written when"
          + " MyBatis or Spring commits it, and only savepoints set through JDBC are seen. Use"
          + " the session's commit and rollback, Spring's transactions, or Connection.setSavepoint,"
          + " rollback(savepoint) and releaseSavepoint on sqlSession.getConnection(); or exclude"
          + " the statement from capture (excludeStatements)";
    }
    Statements statements;
    try {
      statements = CCJSqlParserUtil.parseStatements(sql);
    } catch (JSQLParserException | RuntimeException e) {
      // an update the parser does not understand is still recorded, with its table unknown
      if (query && UNPARSED_CHANGE.matcher(sql).find() && settings.recordsTable(null)) {
        return queryRefusal(statementId, "a data change");
      }
      return null;
    }
    Statement only = statements.size() == 1 ? statements.get(0) : null;
    if (!query && (only instanceof Insert || only instanceof Update || only instanceof Delete)) {
      return null; // what DeltaSync records
    }
    List<Change> recorded = new ArrayList<>();
    for (Statement statement : statements) {
      for (Change change : changes(statement)) {
        if (records(change)) {
          recorded.add(change);
        }
      }
    }
    if (recorded.isEmpty()) {
      return null;
    }
    Change first = recorded.get(0);
    String target = first.what() + (first.table() == null ? "" : " on table " + first.table());
    if (query) {
      return queryRefusal(statementId, target);
    }
    if (only == null) {
      return "Statement "
          + statementId
          + " holds "
          + statements.size()
          + " SQL statements, one of them "
          + target
          + ", but DeltaSync records one SQL statement per executed mapped statement. Split it"
          + " into one mapped statement each, or exclude it from capture (excludeStatements)";
    }
    if (only instanceof Merge || only instanceof Upsert) {
      return "Statement "
          + statementId
          + " runs "
          + target
          + ", which DeltaSync cannot record: it cannot tell which rows were inserted, updated or"
          + " deleted. Write it as INSERT and UPDATE statements (INSERT ... ON CONFLICT and ON"
          + " DUPLICATE KEY UPDATE are recorded as inserts), or exclude it from capture"
          + " (excludeStatements)";
    }
    return "Statement "
        + statementId
        + " runs "
        + target
        + " inside a query (WITH ... SELECT), which DeltaSync cannot record. Write the change as"
        + " its own INSERT, UPDATE or DELETE, or exclude the statement from capture"
        + " (excludeStatements)";
  }

  private static String queryRefusal(String statementId, String target) {
    return "Statement "
        + statementId
        + " is mapped as a query (<select>, @Select) but runs "
        + target
        + ", which DeltaSync records only for <insert>, <update> and <delete> statements. Map it"
        + " as one of those (use useGeneratedKeys or <selectKey> for returned keys), or exclude it"
        + " from capture (excludeStatements)";
  }

  private boolean records(Change change) {
    if (!settings.recordsTable(change.table())) {
      return false;
    }
    for (Kind kind : change.kinds()) {
      if (!settings.excludedKinds().contains(kind)) {
        return true;
      }
    }
    return false;
  }

  /** The changes a statement makes, including those of data-modifying WITH queries. */
  private static List<Change> changes(Statement statement) {
    List<Change> changes = new ArrayList<>();
    if (statement instanceof Insert insert) {
      changes.add(change("INSERT", insert.getTable(), EnumSet.of(Kind.INSERT)));
    } else if (statement instanceof Update update) {
      changes.add(change("UPDATE", update.getTable(), EnumSet.of(Kind.UPDATE)));
    } else if (statement instanceof Delete delete) {
      changes.add(change("DELETE", delete.getTable(), EnumSet.of(Kind.DELETE)));
    } else if (statement instanceof Merge merge) {
      changes.add(change("MERGE", merge.getTable(), ALL_KINDS));
    } else if (statement instanceof Upsert upsert) {
      changes.add(change(upsertName(upsert.getUpsertType()), upsert.getTable(), ALL_KINDS));
    }
    if (statement instanceof Select select && select.getWithItemsList() != null) {
      for (WithItem<?> item : select.getWithItemsList()) {
        Object inner = item.getParenthesedStatement();
        if (inner instanceof ParenthesedInsert insert) {
          changes.addAll(changes(insert.getInsert()));
        } else if (inner instanceof ParenthesedUpdate update) {
          changes.addAll(changes(update.getUpdate()));
        } else if (inner instanceof ParenthesedDelete delete) {
          changes.addAll(changes(delete.getDelete()));
        }
      }
    }
    return changes;
  }

  private static String upsertName(UpsertType type) {
    if (type == null || type == UpsertType.UPSERT) {
      return "UPSERT";
    }
    return type == UpsertType.REPLACE_SET ? "REPLACE" : type.name().replace('_', ' ');
  }

  private static Change change(String what, Table table, Set<Kind> kinds) {
    String name = table == null ? null : SqlShapes.normalize(table.getFullyQualifiedName());
    return new Change(what.toUpperCase(Locale.ROOT), name, kinds);
  }
}
