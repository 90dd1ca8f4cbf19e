package io.deltasync.apply;

import io.deltasync.delta.Delta;
import io.deltasync.delta.NameFilter;
import io.deltasync.delta.internal.SqlShape;
import io.deltasync.delta.internal.SqlShapes;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Decides whether a delta may run on this node: exactly one INSERT, UPDATE or DELETE, of the kind
 * it claims, naming only replicated tables, with as many parameters as placeholders. Thread-safe.
 *
 * <p>SQL that cannot be parsed cannot be checked, and so is refused; so is SQL holding a MySQL or
 * MariaDB executable comment ({@code /*!} or {@code /*M!}), which the parser skips but those
 * databases run.
 */
public final class DeltaValidator {

  private final NameFilter replicatedTables;
  private final SqlShapes shapes = new SqlShapes();

  /**
   * @param replicatedTables the tables this node replicates; {@code ds_*} tables never are
   */
  public DeltaValidator(NameFilter replicatedTables) {
    this.replicatedTables = replicatedTables;
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
