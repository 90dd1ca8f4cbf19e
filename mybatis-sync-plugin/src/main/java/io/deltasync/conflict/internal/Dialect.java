package io.deltasync.conflict.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The SQL a database speaks for writing a row image: its own upsert. Identifiers are written
 * unquoted and lower case, so only plain names are accepted.
 */
public enum Dialect {
  H2,
  POSTGRESQL,
  /** MariaDB, and MySQL. */
  MARIADB,
  /** Any other database: no upsert, the caller updates and inserts when nothing was updated. */
  OTHER;

  private static final Pattern COLUMN = Pattern.compile("[a-z_][a-z0-9_]*");
  private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?");

  /** The dialect of the connection's database, by its product name. */
  public static Dialect of(Connection connection) throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    return switch (product) {
      case "h2" -> H2;
      case "postgresql" -> POSTGRESQL;
      case "mariadb", "mysql" -> MARIADB;
      default -> OTHER;
    };
  }

  /**
   * The upsert of one row with a {@code ?} per column in {@code columns} order: inserts it, or
   * updates the row with the same key; null for {@link #OTHER}.
   *
   * @param keyColumns the columns of a primary or unique key, all among {@code columns}
   * @throws IllegalArgumentException for a name that is not a plain identifier, no columns, or a
   *     key column that is not among the columns
   */
  public String upsertSql(String table, List<String> columns, List<String> keyColumns) {
    return upsertSql(new Names(table(table), java.util.Map.of()), columns, keyColumns);
  }

  /**
   * As {@link #upsertSql(String, List, List)}, naming the table and columns as {@code names} do.
   */
  String upsertSql(Names names, List<String> columns, List<String> keyColumns) {
    String name = names.table();
    List<String> plainAll = columns(columns, "columns");
    List<String> plainKeys = columns(keyColumns, "keyColumns");
    for (String key : plainKeys) {
      if (!plainAll.contains(key)) {
        throw new IllegalArgumentException(
            "key column " + key + " must be one of the columns " + plainAll + ", but is not");
      }
    }
    List<String> all = names.columns(plainAll);
    List<String> keys = names.columns(plainKeys);
    List<String> rest = all.stream().filter(column -> !keys.contains(column)).toList();
    String insert = insertSql(name, all);
    String keyList = String.join(", ", keys);
    return switch (this) {
      case H2 ->
          "MERGE INTO %s (%s) KEY (%s) VALUES (%s)"
              .formatted(name, String.join(", ", all), keyList, marks(all));
      case POSTGRESQL ->
          insert
              + " ON CONFLICT (%s) ".formatted(keyList)
              + (rest.isEmpty() ? "DO NOTHING" : "DO UPDATE SET " + assign(rest, "EXCLUDED.%s"));
      case MARIADB ->
          // with nothing to update, a no-op assignment still turns a duplicate into success
          insert
              + " ON DUPLICATE KEY UPDATE "
              + (rest.isEmpty() ? assign(keys.subList(0, 1), "%s") : assign(rest, "VALUES(%s)"));
      case OTHER -> null;
    };
  }

  /** A plain INSERT of one row, a {@code ?} per column; names as checked by the callers. */
  static String insertSql(String table, List<String> columns) {
    return "INSERT INTO %s (%s) VALUES (%s)"
        .formatted(table, String.join(", ", columns), marks(columns));
  }

  /** The table name, lower case, after checking it is a plain, optionally qualified, name. */
  static String table(String table) {
    String name = table == null ? null : table.toLowerCase(Locale.ROOT);
    if (name == null || !TABLE.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "table must be a plain name such as note or app.note, but was '" + table + "'");
    }
    return name;
  }

  /** The column names, lower case, after checking there are some and each is a plain name. */
  static List<String> columns(List<String> columns, String what) {
    if (columns == null || columns.isEmpty()) {
      throw new IllegalArgumentException(what + " must name at least one column, but was empty");
    }
    List<String> names = new ArrayList<>(columns.size());
    for (String column : columns) {
      String name = column == null ? null : column.toLowerCase(Locale.ROOT);
      if (name == null || !COLUMN.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "column must be a plain name such as amount or due_day, but was '" + column + "'");
      }
      names.add(name);
    }
    if (new HashSet<>(names).size() != names.size()) {
      throw new IllegalArgumentException(what + " must not repeat a column, but was " + names);
    }
    return names;
  }

  private static String marks(List<String> columns) {
    return columns.stream().map(column -> "?").collect(Collectors.joining(", "));
  }

  private static String assign(List<String> columns, String valueFormat) {
    return columns.stream()
        .map(column -> column + " = " + valueFormat.formatted(column))
        .collect(Collectors.joining(", "));
  }
}
