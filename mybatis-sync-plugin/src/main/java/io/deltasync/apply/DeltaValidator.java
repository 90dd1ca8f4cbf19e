package io.deltasync.apply;

import io.deltasync.conflict.internal.RowImages;
import io.deltasync.delta.Delta;
import io.deltasync.delta.Kind;
import io.deltasync.delta.NameFilter;
import io.deltasync.delta.internal.NonDeterministicCalls;
import io.deltasync.delta.internal.SqlShape;
import io.deltasync.delta.internal.SqlShapes;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides whether a delta may run on this node: exactly one INSERT, UPDATE or DELETE, of the kind
 * it claims, naming only replicated tables, calling only allowed functions, with as many parameters
 * as placeholders. Thread-safe.
 *
 * <p>Functions are allowed by name because a function can do what DML cannot (H2's {@code
 * CSVWRITE}, PostgreSQL's {@code pg_read_file}, MariaDB's {@code LOAD_FILE}); {@link
 * #DEFAULT_FUNCTIONS} holds common pure ones, and a node may allow more. Functions that return a
 * different value on each node ({@code now()}, {@code random()}, {@code uuid()}, ...) are not among
 * them: a delta calling one would leave this node's row different from its origin's.
 *
 * <p>Before parsing, the SQL's text is checked for what H2, PostgreSQL, MariaDB, their JDBC drivers
 * and the parser might read differently, since a check of what the parser sees is worth only as
 * much as their agreement: backslashes (escapes), {@code $} outside quoted literals (dollar
 * quoting), {@code #} and {@code --} without a following space (MariaDB comments or not), {@code
 * //} (an H2 comment), nested block comments, MySQL/MariaDB executable comments ({@code /*!} or
 * {@code /*M!}), JDBC escapes ({@code {fn ...}}), control characters, a lone carriage return,
 * non-ASCII characters outside quotes and comments, and odd backtick-quoted names. Captured SQL
 * carries values as {@code ?} parameters, so this rarely refuses a real delta; SQL built with
 * literal values holding such characters must pass them as parameters instead.
 *
 * <p>SQL that cannot be parsed cannot be checked, and so is refused. Tables and functions are found
 * twice, in the parse tree and in the SQL's tokens, and every one found either way must be allowed.
 * Window functions, ordered-set aggregates, aggregate filters and sequence access are refused.
 *
 * <p>A table named with its schema (or database) must be selected by the filter under its qualified
 * name, and its own name must not be excluded: with include {@code note}, {@code app.note} is
 * refused, while include {@code app.note} or {@code *.note} accepts it. Tables whose name starts
 * with {@code ds_} are never replicated, whatever their schema.
 */
public final class DeltaValidator {

  /**
   * Functions a delta may call unless a node says otherwise: string, number, aggregates. None
   * returns a different value on each node: clocks, random values and sequences ({@link
   * NonDeterministicCalls}) are refused unless a node allows them, since capture records the values
   * they returned instead.
   */
  public static final Set<String> DEFAULT_FUNCTIONS =
      Set.of(
          "abs",
          "avg",
          "ceil",
          "ceiling",
          "char_length",
          "character_length",
          "coalesce",
          "concat",
          "concat_ws",
          "count",
          "floor",
          "greatest",
          "ifnull",
          "least",
          "left",
          "length",
          "lower",
          "ltrim",
          "max",
          "min",
          "mod",
          "nullif",
          "nvl",
          "position",
          "power",
          "right",
          "round",
          "rtrim",
          "sign",
          "sqrt",
          "substr",
          "substring",
          "sum",
          "trim",
          "upper");

  /** The longest SQL a delta may carry, in characters; longer SQL is refused before parsing. */
  public static final int MAX_SQL_CHARS = 100_000;

  /** The most parameters a delta may carry (PostgreSQL's limit for one statement). */
  public static final int MAX_PARAMS = 32_767;

  /** The most characters (text) or bytes (binary) one parameter may hold: 16 MiB. */
  public static final int MAX_PARAM_SIZE = 16 << 20;

  private final NameFilter replicatedTables;
  private final NameFilter notExcluded;
  private final Set<String> allowedFunctions;
  private final SqlShapes shapes = new SqlShapes();

  /**
   * @param replicatedTables the tables this node replicates, matched against names as written
   *     (qualified when qualified); {@code ds_*} tables never are
   */
  public DeltaValidator(NameFilter replicatedTables) {
    this(replicatedTables, DEFAULT_FUNCTIONS);
  }

  /**
   * @param replicatedTables the tables this node replicates, matched against names as written
   *     (qualified when qualified); {@code ds_*} tables never are
   * @param allowedFunctions the functions deltas may call, lower case
   */
  public DeltaValidator(NameFilter replicatedTables, Set<String> allowedFunctions) {
    this.replicatedTables = replicatedTables;
    this.notExcluded = new NameFilter(List.of(), replicatedTables.exclude());
    this.allowedFunctions = Set.copyOf(allowedFunctions);
  }

  /** Why the delta must not run, or empty when it may. */
  public Optional<String> problemWith(Delta delta) {
    if (delta.sql().length() > MAX_SQL_CHARS) {
      return Optional.of(
          "its SQL has "
              + delta.sql().length()
              + " characters, more than the "
              + MAX_SQL_CHARS
              + " a delta may have");
    }
    if (delta.params().size() > MAX_PARAMS) {
      return Optional.of(
          "it carries "
              + delta.params().size()
              + " parameters, more than the "
              + MAX_PARAMS
              + " a delta may have");
    }
    for (int i = 0; i < delta.params().size(); i++) {
      Object value = delta.params().get(i).value();
      long size =
          value instanceof byte[] bytes
              ? bytes.length
              : value instanceof String text ? text.length() : 0;
      if (size > MAX_PARAM_SIZE) {
        return Optional.of(
            "its parameter "
                + (i + 1)
                + " holds "
                + size
                + " characters or bytes, more than the "
                + MAX_PARAM_SIZE
                + " a parameter may have");
      }
    }
    String lexical = shapes.lexicalProblemOf(delta.sql());
    if (lexical != null) {
      return Optional.of(lexical);
    }
    SqlShape shape = shapes.of(delta.sql());
    if (shape.parseError() != null) {
      return Optional.of(
          "its SQL cannot be parsed, so it cannot be checked: " + shape.parseError());
    }
    if (shape.statementCount() != 1) {
      return Optional.of(
          "expected exactly one statement, but its SQL holds " + shape.statementCount());
    }
    if (shape.kind() == null) {
      return Optional.of(
          "only INSERT, UPDATE and DELETE are applied, but its SQL is "
              + withArticle(shape.statementType())
              + " statement");
    }
    if (shape.kind() != delta.kind()) {
      return Optional.of(
          "it claims to be "
              + withArticle(delta.kind().name())
              + " but its SQL is "
              + withArticle(shape.kind().name()));
    }
    if (!shape.problems().isEmpty()) {
      return Optional.of(shape.problems().get(0));
    }
    for (String table : new TreeSet<>(shape.tables())) {
      if (!replicates(table)) {
        return Optional.of("table " + table + " is not replicated by this node");
      }
    }
    for (String function : new TreeSet<>(shape.functions())) {
      if (!allowedFunctions.contains(function)) {
        if (NonDeterministicCalls.FUNCTIONS.contains(function)) {
          return Optional.of(
              "function "
                  + function
                  + " returns a different value on each node, so running it here would leave"
                  + " this node's row different from its origin's (DeltaSync's capture records the"
                  + " value it returned instead, unless the origin lists the statement in"
                  + " evaluate-on-each-node); allow it with deltasync.node.allowed-functions to"
                  + " evaluate it here anyway");
        }
        return Optional.of("function " + function + " is not allowed in replicated SQL");
      }
    }
    if (shape.placeholders() != delta.params().size()) {
      return Optional.of(
          "its SQL has "
              + shape.placeholders()
              + " placeholders but the delta carries "
              + delta.params().size()
              + " parameters");
    }
    if (delta.table() != null && !delta.table().equals(shape.table())) {
      return Optional.of(
          "its declared table "
              + delta.table()
              + " is not the table its SQL writes, "
              + shape.table());
    }
    if (RowImages.STATEMENT_ID.equals(delta.statementId())) {
      return rowImageProblem(delta, shape);
    }
    return Optional.empty();
  }

  /**
   * A row image is applied without running its SQL (as an upsert built from its table and columns),
   * so its SQL must be exactly the plain form the hub writes: one table, no functions, and for an
   * INSERT every value a parameter.
   */
  private static Optional<String> rowImageProblem(Delta delta, SqlShape shape) {
    String refused = "a row image (" + RowImages.STATEMENT_ID + ") ";
    if (shape.tables().size() != 1 || !shape.functions().isEmpty()) {
      return Optional.of(refused + "must name one table and call no function");
    }
    if (delta.kind() == Kind.UPDATE) {
      return Optional.of(refused + "is an INSERT or a DELETE, never an UPDATE");
    }
    if (delta.kind() == Kind.INSERT) {
      List<String> columns = shape.insertColumns();
      if (columns.isEmpty() || columns.size() != delta.params().size()) {
        return Optional.of(refused + "must insert one row of parameters, one per column");
      }
      for (int i = 0; i < columns.size(); i++) {
        SqlShape.Value value = shape.pinned().get(columns.get(i));
        if (value == null || value.param() != i) {
          return Optional.of(refused + "must insert one row of parameters, one per column");
        }
      }
    } else if (shape.pinned().isEmpty()) {
      return Optional.of(refused + "must delete one row by its key");
    }
    return Optional.empty();
  }

  /**
   * Whether the table, named as written (lower case, qualified when qualified), is replicated: its
   * own name does not start with ds_, the filter selects the name as written, and a qualified
   * name's own name is not excluded (exclude {@code audit_*} also excludes {@code app.audit_log}).
   */
  private boolean replicates(String table) {
    String name = table.substring(table.lastIndexOf('.') + 1);
    return !name.startsWith("ds_")
        && replicatedTables.selects(table)
        && (name.equals(table) || notExcluded.selects(name));
  }

  private static String withArticle(String word) {
    return ("AEIOU".indexOf(Character.toUpperCase(word.charAt(0))) >= 0 ? "an " : "a ") + word;
  }
}
