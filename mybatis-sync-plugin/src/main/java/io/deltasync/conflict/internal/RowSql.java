package io.deltasync.conflict.internal;

import io.deltasync.apply.internal.ParamBinder;
import io.deltasync.conflict.Row;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Reads and writes single rows of application tables as {@link Row}s.
 *
 * <p>Every method works on the caller's connection and within its transaction: none commits, rolls
 * back or closes it. Table and column names must be plain identifiers (see {@link Dialect}); a
 * WHERE clause text is used as given.
 */
public final class RowSql {

  private RowSql() {}

  /**
   * The row with the given key, or null when there is none.
   *
   * @throws SQLException when more than one row has the key, or the query fails
   */
  public static Row select(
      Connection connection, String table, List<String> keyColumns, List<Param> keyValues)
      throws SQLException {
    Names names = Names.of(connection, table);
    String sql =
        "SELECT * FROM " + names.table() + " WHERE " + keyMatch(names, keyColumns, keyValues);
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      ParamBinder.bind(statement, keyValues);
      try (ResultSet rows = statement.executeQuery()) {
        if (!rows.next()) {
          return null;
        }
        Row row = Columns.of(rows.getMetaData()).row(rows);
        if (rows.next()) {
          throw new SQLException(
              "key %s is not unique in %s: more than one row has %s"
                  .formatted(keyColumns, table, keyValues));
        }
        return row;
      }
    }
  }

  /**
   * The keys, in {@code keyColumns} order, of the rows a WHERE condition matches.
   *
   * @param whereSql the condition without {@code WHERE}, used as given, with a {@code ?} per {@code
   *     whereParams} value; null or blank for every row
   */
  public static List<List<Param>> selectKeys(
      Connection connection,
      String table,
      List<String> keyColumns,
      String whereSql,
      List<Param> whereParams)
      throws SQLException {
    Names names = Names.of(connection, table);
    String columns = String.join(", ", names.columns(Dialect.columns(keyColumns, "keyColumns")));
    String where = whereSql == null || whereSql.isBlank() ? "" : " WHERE " + whereSql;
    String sql = "SELECT " + columns + " FROM " + names.table() + where;
    List<List<Param>> keys = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      ParamBinder.bind(statement, whereParams);
      try (ResultSet rows = statement.executeQuery()) {
        Columns read = Columns.of(rows.getMetaData());
        while (rows.next()) {
          List<Param> key = new ArrayList<>(keyColumns.size());
          for (int column = 1; column <= keyColumns.size(); column++) {
            key.add(read.param(rows, column));
          }
          keys.add(List.copyOf(key));
        }
      }
    }
    return keys;
  }

  /**
   * Inserts the row, or updates the row with its key, with the dialect's upsert; for {@link
   * Dialect#OTHER} by an UPDATE, then an INSERT when that changed no row.
   *
   * @throws IllegalArgumentException when the row lacks a key column or holds null in one
   */
  public static void upsert(
      Connection connection, Dialect dialect, String table, List<String> keyColumns, Row row)
      throws SQLException {
    row.key(keyColumns);
    Names names = Names.of(connection, table);
    List<String> keys = Dialect.columns(keyColumns, "keyColumns");
    List<String> columns = row.columns();
    String sql = dialect == Dialect.OTHER ? null : dialect.upsertSql(names, columns, keys);
    if (sql == null && !updated(connection, names, keys, row)) {
      sql = Dialect.insertSql(names.table(), names.columns(Dialect.columns(columns, "columns")));
    }
    if (sql != null) {
      execute(connection, sql, row.params(columns));
    }
  }

  /**
   * Upserts the rows as {@link #upsert} does one, in JDBC batches: rows with the same columns share
   * one statement, so a chunk of rows costs a round trip or a few instead of one per row. For
   * {@link Dialect#OTHER}, row by row.
   *
   * @throws IllegalArgumentException when a row lacks a key column or holds null in one
   */
  public static void upsertAll(
      Connection connection, Dialect dialect, String table, List<String> keyColumns, List<Row> rows)
      throws SQLException {
    if (dialect == Dialect.OTHER) {
      for (Row row : rows) {
        upsert(connection, dialect, table, keyColumns, row);
      }
      return;
    }
    Names names = Names.of(connection, table);
    List<String> keys = Dialect.columns(keyColumns, "keyColumns");
    Map<List<String>, List<Row>> byColumns = new LinkedHashMap<>();
    for (Row row : rows) {
      row.key(keyColumns);
      byColumns.computeIfAbsent(row.columns(), c -> new ArrayList<>()).add(row);
    }
    for (Map.Entry<List<String>, List<Row>> group : byColumns.entrySet()) {
      List<String> columns = group.getKey();
      try (PreparedStatement statement =
          connection.prepareStatement(dialect.upsertSql(names, columns, keys))) {
        for (Row row : group.getValue()) {
          ParamBinder.bind(statement, row.params(columns));
          statement.addBatch();
        }
        statement.executeBatch();
      }
    }
  }

  /**
   * Inserts the rows with plain INSERTs in JDBC batches (rows with the same columns share one
   * statement); a key the table holds already fails the batch with the database's own error.
   */
  public static void insertAll(Connection connection, String table, List<Row> rows)
      throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    Names names = Names.of(connection, table);
    if (insertAlike(connection, names, rows.get(0).columns(), rows)) {
      return; // a page of one query: every row has the same columns
    }
    Map<List<String>, List<Row>> byColumns = new LinkedHashMap<>();
    for (Row row : rows) {
      byColumns.computeIfAbsent(row.columns(), c -> new ArrayList<>()).add(row);
    }
    for (Map.Entry<List<String>, List<Row>> group : byColumns.entrySet()) {
      insertAlike(connection, names, group.getKey(), group.getValue());
    }
  }

  /**
   * Inserts the rows in one batch when each has exactly these columns, in this order, checked as
   * its values are bound; false, with nothing inserted, when one has not.
   */
  private static boolean insertAlike(
      Connection connection, Names names, List<String> columns, List<Row> rows)
      throws SQLException {
    String sql =
        Dialect.insertSql(names.table(), names.columns(Dialect.columns(columns, "columns")));
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (Row row : rows) {
        if (row.values().size() != columns.size()) {
          return false;
        }
        int index = 0;
        for (Map.Entry<String, Param> value : row.values().entrySet()) {
          if (!value.getKey().equals(columns.get(index))) {
            return false;
          }
          ParamBinder.bind(statement, ++index, value.getValue());
        }
        statement.addBatch();
      }
      statement.executeBatch();
      return true;
    }
  }

  /** Deletes the row with the given key; returns how many rows were deleted. */
  public static int delete(
      Connection connection, String table, List<String> keyColumns, List<Param> keyValues)
      throws SQLException {
    Names names = Names.of(connection, table);
    return execute(
        connection,
        "DELETE FROM " + names.table() + " WHERE " + keyMatch(names, keyColumns, keyValues),
        keyValues);
  }

  /**
   * How each column of one result set is read, found once from its metadata (for many rows, each
   * value's type is not looked up again): by the column's JDBC type, a SQL null as a null of that
   * type, date-times without time-zone shifts.
   */
  public static final class Columns {

    private final String[] labels;
    private final List<String> names;
    private final ParamType[] types;
    private final Param[] nulls;

    private Columns(String[] labels, ParamType[] types, Param[] nulls) {
      this.labels = labels;
      this.names = Arrays.asList(labels);
      this.types = types;
      this.nulls = nulls;
    }

    public static Columns of(ResultSetMetaData meta) throws SQLException {
      int count = meta.getColumnCount();
      String[] labels = new String[count];
      ParamType[] types = new ParamType[count];
      Param[] nulls = new Param[count];
      for (int column = 1; column <= count; column++) {
        labels[column - 1] = meta.getColumnLabel(column).toLowerCase(Locale.ROOT);
        types[column - 1] = ColumnTypes.of(meta, column);
        nulls[column - 1] = Param.nullOf(ColumnTypes.nullName(meta, column, types[column - 1]));
      }
      return new Columns(labels, types, nulls);
    }

    /** The current row, keyed by the columns' labels in lower case, in column order. */
    public Row row(ResultSet rows) throws SQLException {
      Param[] values = new Param[labels.length];
      for (int column = 1; column <= labels.length; column++) {
        values[column - 1] = param(rows, column);
      }
      return Row.of(names, Arrays.asList(values));
    }

    /** The value of one column (1-based) of the current row. */
    public Param param(ResultSet rows, int column) throws SQLException {
      Param value = value(rows, column, types[column - 1]);
      return value != null ? value : nulls[column - 1];
    }
  }

  /** The column's value as {@code type}, or null for a SQL null. */
  private static Param value(ResultSet rows, int column, ParamType type) throws SQLException {
    Object value =
        switch (type) {
          case BOOLEAN -> rows.getBoolean(column);
          case SHORT -> rows.getShort(column);
          case INT -> rows.getInt(column);
          case LONG -> rows.getLong(column);
          case FLOAT -> rows.getFloat(column);
          case DOUBLE -> rows.getDouble(column);
          case DECIMAL -> rows.getBigDecimal(column);
          case DATE -> rows.getObject(column, LocalDate.class);
          case TIME -> rows.getObject(column, LocalTime.class);
          case TIMESTAMP -> rows.getObject(column, LocalDateTime.class);
          case OFFSET_DATE_TIME -> rows.getObject(column, OffsetDateTime.class);
          case UUID -> {
            String text = rows.getString(column);
            yield text == null ? null : UUID.fromString(text);
          }
          case BYTES -> rows.getBytes(column);
          default -> rows.getString(column);
        };
    return value == null || rows.wasNull() ? null : new Param(type, value);
  }

  private static String keyMatch(Names names, List<String> keyColumns, List<Param> keyValues) {
    List<String> keys = Dialect.columns(keyColumns, "keyColumns");
    if (keyValues.size() != keys.size()) {
      throw new IllegalArgumentException(
          "key " + keys + " needs " + keys.size() + " values, but had " + keyValues);
    }
    for (int i = 0; i < keys.size(); i++) {
      if (keyValues.get(i).isNull()) {
        throw new IllegalArgumentException("key column " + keys.get(i) + " must not be null");
      }
    }
    return keys.stream()
        .map(key -> names.column(key) + " = ?")
        .collect(Collectors.joining(" AND "));
  }

  /** Whether an UPDATE, or with only key columns a SELECT, found the row. */
  private static boolean updated(Connection connection, Names names, List<String> keys, Row row)
      throws SQLException {
    List<Param> keyValues = row.params(keys);
    List<String> rest = row.columns().stream().filter(column -> !keys.contains(column)).toList();
    String where = keyMatch(names, keys, keyValues);
    if (rest.isEmpty()) {
      return execute(
              connection,
              "UPDATE "
                  + names.table()
                  + " SET "
                  + names.column(keys.get(0))
                  + " = "
                  + names.column(keys.get(0))
                  + " WHERE "
                  + where,
              keyValues)
          > 0;
    }
    List<Param> params = new ArrayList<>(row.params(rest));
    params.addAll(keyValues);
    String set =
        rest.stream()
            .map(column -> names.column(column) + " = ?")
            .collect(Collectors.joining(", "));
    return execute(
            connection, "UPDATE " + names.table() + " SET " + set + " WHERE " + where, params)
        > 0;
  }

  private static int execute(Connection connection, String sql, List<Param> params)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      ParamBinder.bind(statement, params);
      return statement.executeUpdate();
    }
  }
}
