package io.deltasync.conflict;

import io.deltasync.conflict.internal.ColumnTypes;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.delta.RowKey;
import io.deltasync.delta.internal.ParamText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One row of an application table: its column values, typed as they are read and bound.
 *
 * <p>Immutable and thread-safe; {@link #with} and {@link #withText} return changed copies. Column
 * names are compared case-insensitively and kept in the order given.
 *
 * @param values lower-case column name to value, in column order; never empty, no null values (a
 *     SQL null is a typed null such as {@code Param.nullOf("VARCHAR")})
 */
public record Row(Map<String, Param> values) {

  public Row {
    if (values == null || values.isEmpty()) {
      throw new IllegalArgumentException("a row needs at least one column, but had none");
    }
    if (!(values instanceof Checked)) {
      Checked lower = new Checked(values.size());
      values.forEach(lower::add);
      values = lower;
    }
    values = Collections.unmodifiableMap(values);
  }

  /**
   * The row of these columns' values, in order, as {@code new Row} makes it from a map of them,
   * without that map built first and then copied: rows read or received by the thousand.
   *
   * @throws IllegalArgumentException for no columns, another count of values than of columns, a
   *     null name or value, or a column given twice
   */
  public static Row of(List<String> columns, List<Param> values) {
    if (columns.size() != values.size()) {
      throw new IllegalArgumentException(
          "a row of " + columns.size() + " columns was given " + values.size() + " values");
    }
    Checked checked = new Checked(columns.size());
    for (int i = 0; i < columns.size(); i++) {
      checked.add(columns.get(i), values.get(i));
    }
    return new Row(checked);
  }

  /**
   * A row's values as its constructor checked them: lower-case names, each once, no nulls. Made
   * only here and never handed out unwrapped, so a row given one need not copy it.
   */
  private static final class Checked extends LinkedHashMap<String, Param> {

    private static final long serialVersionUID = 1L;

    Checked(int columns) {
      super(columns * 4 / 3 + 1);
    }

    void add(String column, Param value) {
      if (column == null) {
        throw new IllegalArgumentException("a row's column names must not be null");
      }
      if (value == null) {
        throw new IllegalArgumentException(
            "column " + column + " must hold a Param (a typed null for SQL null), but was null");
      }
      if (put(lower(column), value) != null) {
        throw new IllegalArgumentException("column " + column + " is given twice");
      }
    }
  }

  /** The column names, lower case, in order. */
  public List<String> columns() {
    return List.copyOf(values.keySet());
  }

  /**
   * Whether the row has exactly these columns (lower case, as {@link #columns} gives them), in
   * order.
   */
  public boolean hasColumns(List<String> columns) {
    if (values.size() != columns.size()) {
      return false;
    }
    int i = 0;
    for (String column : values.keySet()) {
      if (!column.equals(columns.get(i++))) {
        return false;
      }
    }
    return true;
  }

  /** The column's value, or null when the row has no such column. */
  public Param param(String column) {
    return values.get(lower(column));
  }

  /**
   * The column's Java value, null for SQL null.
   *
   * @throws IllegalArgumentException when the row has no such column
   */
  public Object get(String column) {
    Param param = existing(column);
    return param.isNull() ? null : param.value();
  }

  /**
   * A copy with the column set to a Java value, typed by its class; null sets a typed null of the
   * column's current JDBC type.
   *
   * @throws IllegalArgumentException for an unknown column or a class no {@link ParamType} holds
   */
  public Row with(String column, Object value) {
    Param current = existing(column);
    if (value == null) {
      return set(column, nullLike(current));
    }
    ParamType type = ColumnTypes.ofClass(value.getClass());
    if (type == null) {
      throw new IllegalArgumentException(
          "column " + lower(column) + " cannot hold a " + value.getClass().getName());
    }
    return set(column, new Param(type, value));
  }

  /**
   * A copy with the column set from text, such as a form's input, read as the column's current type
   * (booleans {@code true}/{@code false}, temporal values ISO-8601, bytes base64); null sets a
   * typed null of the column's current JDBC type.
   *
   * @throws IllegalArgumentException for an unknown column or text that is no value of its type
   */
  public Row withText(String column, String text) {
    Param current = existing(column);
    if (text == null) {
      return set(column, nullLike(current));
    }
    ParamType type = current.isNull() ? ColumnTypes.of((String) current.value()) : current.type();
    try {
      return set(column, new Param(type, ParamText.parse(type, text)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "column " + lower(column) + " needs a " + type + ", but was '" + text + "'", e);
    }
  }

  /**
   * The values of the given columns, in that order.
   *
   * @throws IllegalArgumentException when the row lacks one of them
   */
  public List<Param> params(List<String> columns) {
    List<Param> params = new ArrayList<>(columns.size());
    columns.forEach(column -> params.add(existing(column)));
    return params;
  }

  /**
   * The row's key, its values' texts as {@link ParamText#of} gives them, as in captured deltas.
   *
   * @throws IllegalArgumentException when the row lacks a key column or holds null in one
   */
  public RowKey key(List<String> keyColumns) {
    TreeMap<String, String> key = new TreeMap<>();
    for (String column : keyColumns) {
      Param param = existing(column);
      if (param.isNull()) {
        throw new IllegalArgumentException("key column " + lower(column) + " is null");
      }
      key.put(lower(column), ParamText.of(param));
    }
    return new RowKey(key);
  }

  private Row set(String column, Param param) {
    LinkedHashMap<String, Param> copy = new LinkedHashMap<>(values);
    copy.put(lower(column), param);
    return new Row(copy);
  }

  private Param existing(String column) {
    Param param = param(column);
    if (param == null) {
      throw new IllegalArgumentException(
          "the row has no column " + column + "; its columns are " + values.keySet());
    }
    return param;
  }

  private static Param nullLike(Param current) {
    return current.isNull() ? current : Param.nullOf(ColumnTypes.jdbcName(current.type()));
  }

  private static String lower(String column) {
    for (int i = 0; i < column.length(); i++) {
      char c = column.charAt(i);
      if ((c >= 'A' && c <= 'Z') || c > 127) {
        return column.toLowerCase(Locale.ROOT);
      }
    }
    return column; // the common case, already lower case: no copy
  }
}
