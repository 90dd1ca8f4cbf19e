package io.deltasync.delta.internal;

import io.deltasync.delta.Kind;
import io.deltasync.delta.Param;
import io.deltasync.delta.RowKey;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one SQL string does, as far as sync needs to know.
 *
 * @param kind INSERT, UPDATE or DELETE; null when the SQL is not one of them or was not parsed
 * @param statementType the parsed statement's type name (e.g. "Insert", "Drop"), or null
 * @param statementCount how many statements the SQL holds (0 when not parsed)
 * @param table the target table, unquoted, unqualified and lower case; null when unknown
 * @param tables every table the SQL names as written, unquoted and lower case, qualified when
 *     written qualified (e.g. {@code note}, {@code public.note}); found both in JSqlParser's parse
 *     tree and in the SQL's tokens
 * @param functions every function the SQL calls, lower case, schema-qualified as written; found
 *     both in the parse tree and in the tokens
 * @param problems why a node must not apply the SQL whatever its tables and functions (window
 *     functions, sequence access, a statement separator before its end, ...), in refusal words;
 *     empty when none
 * @param placeholders how many {@code ?} placeholders the SQL has
 * @param insertColumns the column list of a single-row INSERT ... VALUES, lower case; else empty
 * @param pinned columns the SQL fixes to one value: a single-row INSERT's values and the {@code
 *     column = value} conjuncts of a WHERE clause
 * @param parseError why the SQL could not be parsed; null when it was
 */
public record SqlShape(
    Kind kind,
    String statementType,
    int statementCount,
    String table,
    Set<String> tables,
    Set<String> functions,
    List<String> problems,
    int placeholders,
    List<String> insertColumns,
    Map<String, Value> pinned,
    String parseError) {

  /**
   * A pinned column's value: either the placeholder at {@code param} (0-based) or a literal.
   *
   * @param param 0-based placeholder index, or -1 for a literal
   * @param literal the literal's text, or null for a placeholder
   */
  public record Value(int param, String literal) {}

  /** The shape of SQL that did not parse, or that holds more or fewer than one statement. */
  static SqlShape unknown(int statementCount, int placeholders, String parseError) {
    return new SqlShape(
        null,
        null,
        statementCount,
        null,
        Set.of(),
        Set.of(),
        List.of(),
        placeholders,
        List.of(),
        Map.of(),
        parseError);
  }

  /**
   * The key of the one row the statement affects, when it pins every key column; else null.
   *
   * @param keyColumns the table's primary-key columns, lower case
   * @param params the bound parameters in placeholder order
   */
  public RowKey rowKey(List<String> keyColumns, List<Param> params) {
    if (keyColumns.isEmpty()) {
      return null;
    }
    TreeMap<String, String> values = new TreeMap<>();
    for (String column : keyColumns) {
      Value value = pinned.get(column);
      if (value == null) {
        return null;
      }
      if (value.param() < 0) {
        values.put(column, value.literal());
      } else if (value.param() < params.size() && !params.get(value.param()).isNull()) {
        values.put(column, ParamText.of(params.get(value.param())));
      } else {
        return null;
      }
    }
    return new RowKey(values);
  }
}
