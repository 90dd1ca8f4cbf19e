package io.deltasync.apply;

import io.deltasync.delta.Delta;
import io.deltasync.delta.NameFilter;
import io.deltasync.delta.internal.SqlShape;
import io.deltasync.delta.internal.SqlShapes;
import java.util.Locale;
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
 * #DEFAULT_FUNCTIONS} holds common pure ones, and a node may allow more.
 *
 * <p>SQL that cannot be parsed cannot be checked, and so is refused; so is SQL holding a MySQL or
 * MariaDB executable comment ({@code /*!} or {@code /*M!}), which the parser skips but those
 * databases run.
 */
public final class DeltaValidator {

  /** Functions a delta may call unless a node says otherwise: string, number, date, aggregates. */
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
          "current_date",
          "current_time",
          "current_timestamp",
          "floor",
          "greatest",
          "ifnull",
          "least",
          "left",
          "length",
          "localtime",
          "localtimestamp",
          "lower",
          "lpad",
          "ltrim",
          "max",
          "min",
          "mod",
          "now",
          "nullif",
          "nvl",
          "position",
          "power",
          "replace",
          "right",
          "round",
          "rpad",
          "rtrim",
          "sign",
          "sqrt",
          "substr",
          "substring",
          "sum",
          "trim",
          "upper");

  private final NameFilter replicatedTables;
  private final Set<String> allowedFunctions;
  private final SqlShapes shapes = new SqlShapes();

  /**
   * @param replicatedTables the tables this node replicates; {@code ds_*} tables never are
   */
  public DeltaValidator(NameFilter replicatedTables) {
    this(replicatedTables, DEFAULT_FUNCTIONS);
  }

  /**
   * @param replicatedTables the tables this node replicates; {@code ds_*} tables never are
   * @param allowedFunctions the functions deltas may call, lower case
   */
  public DeltaValidator(NameFilter replicatedTables, Set<String> allowedFunctions) {
    this.replicatedTables = replicatedTables;
    this.allowedFunctions = Set.copyOf(allowedFunctions);
  }

  /** Why the delta must not run, or empty when it may. */
  public Optional<String> problemWith(Delta delta) {
    String upper = delta.sql().toUpperCase(Locale.ROOT);
    if (upper.contains("/*!") || upper.contains("/*M!")) {
      // a comment to the parser, code to MySQL and MariaDB; refused even inside a literal
      return Optional.of(
          "it holds a MySQL/MariaDB executable comment (/*! ... */), which the database runs"
              + " but this check cannot see");
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
    for (String table : new TreeSet<>(shape.tables())) {
      if (table.startsWith("ds_") || !replicatedTables.selects(table)) {
        return Optional.of("table " + table + " is not replicated by this node");
      }
    }
    for (String function : new TreeSet<>(shape.functions())) {
      if (!allowedFunctions.contains(function)) {
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
    return Optional.empty();
  }

  private static String withArticle(String word) {
    return ("AEIOU".indexOf(Character.toUpperCase(word.charAt(0))) >= 0 ? "an " : "a ") + word;
  }
}
