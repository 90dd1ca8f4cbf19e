package io.deltasync.verify.internal;

import io.deltasync.apply.internal.ParamBinder;
import io.deltasync.conflict.Row;
import io.deltasync.conflict.internal.RowSql;
import io.deltasync.delta.Param;
import io.deltasync.verify.KeyRange;
import io.deltasync.verify.VerifyException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads a table by key ranges: the checksummed ranges of a whole table by keyset paging (never
 * OFFSET), the checksum of given bounds, and the rows of a range. Every read orders by the primary
 * key and holds at most one page of rows in memory; each works on the caller's connection and
 * transaction. Stateless.
 */
public final class RangeReads {

  private static final int FETCH_SIZE = 1_000;

  private RangeReads() {}

  /**
   * The table cut into ranges of {@code chunk} rows, the last open to the table's end; an empty
   * table is one open range.
   */
  public static List<KeyRange> chunks(Connection connection, TableShape shape, int chunk)
      throws SQLException {
    List<KeyRange> ranges = new ArrayList<>();
    List<String> after = null;
    while (true) {
      RowText hash = new RowText();
      List<Row> last = new ArrayList<>(1);
      long[] count = new long[1];
      scan(
          connection,
          shape,
          after,
          null,
          chunk,
          row -> {
            hash.add(row);
            count[0]++;
            last.clear();
            last.add(row);
          });
      if (count[0] < chunk) {
        ranges.add(new KeyRange(after, null, count[0], hash.hash()));
        return ranges;
      }
      List<String> upTo = RowText.key(last.get(0), shape.keyColumns());
      ranges.add(new KeyRange(after, upTo, count[0], hash.hash()));
      after = upTo;
    }
  }

  /** The checksum of the rows within the range's bounds. */
  public static KeyRange measure(Connection connection, TableShape shape, KeyRange bounds)
      throws SQLException {
    RowText hash = new RowText();
    long[] count = new long[1];
    scan(
        connection,
        shape,
        bounds.after(),
        bounds.upTo(),
        0,
        row -> {
          hash.add(row);
          count[0]++;
        });
    return new KeyRange(bounds.after(), bounds.upTo(), count[0], hash.hash());
  }

  /**
   * The rows within the range's bounds, in key order.
   *
   * @throws VerifyException when there are more than {@code max}
   */
  public static List<Row> rows(Connection connection, TableShape shape, KeyRange bounds, int max)
      throws SQLException {
    List<Row> rows = new ArrayList<>();
    scan(connection, shape, bounds.after(), bounds.upTo(), max + 1, rows::add);
    if (rows.size() > max) {
      throw new VerifyException(
          "range "
              + bounds
              + " of "
              + shape.table()
              + " holds more than "
              + max
              + " rows: too many to compare row by row; reload the node's table instead");
    }
    return rows;
  }

  /** How many rows the table holds, as the connection's transaction sees them. */
  public static long count(Connection connection, TableShape shape) throws SQLException {
    try (PreparedStatement select =
            connection.prepareStatement("SELECT COUNT(*) FROM " + shape.tableSql());
        ResultSet row = select.executeQuery()) {
      row.next();
      return row.getLong(1);
    }
  }

  /** Keys looked up per statement by {@link #held}. */
  private static final int HELD_PER_QUERY = 100;

  /**
   * Which of the keys (texts as {@link RowText#key} gives them) the table holds, by this database's
   * equality of keys (a padded and a trimmed spelling of a {@code CHAR} key are one key); read on
   * the caller's connection, in its transaction.
   */
  public static Set<List<String>> held(
      Connection connection, TableShape shape, List<List<String>> keys) throws SQLException {
    Map<List<String>, List<List<String>>> asked = new HashMap<>();
    for (List<String> key : keys) {
      asked.computeIfAbsent(RowText.matching(key), k -> new ArrayList<>()).add(key);
    }
    Set<List<String>> held = new HashSet<>();
    for (int from = 0; from < keys.size(); from += HELD_PER_QUERY) {
      List<List<String>> some = keys.subList(from, Math.min(keys.size(), from + HELD_PER_QUERY));
      StringBuilder sql =
          new StringBuilder("SELECT ")
              .append(shape.keyList())
              .append(" FROM ")
              .append(shape.tableSql())
              .append(" WHERE ")
              .append(shape.keyTuple())
              .append(" IN (");
      List<Param> params = new ArrayList<>();
      for (int k = 0; k < some.size(); k++) {
        sql.append(k == 0 ? "" : ", ").append(shape.keyMarks());
        params.addAll(shape.params(some.get(k)));
      }
      try (PreparedStatement statement = connection.prepareStatement(sql.append(')').toString())) {
        ParamBinder.bind(statement, params);
        try (ResultSet rows = statement.executeQuery()) {
          RowSql.Columns read = RowSql.Columns.of(rows.getMetaData());
          while (rows.next()) {
            List<String> key = RowText.matchKey(read.row(rows), shape.keyColumns());
            held.addAll(asked.getOrDefault(key, List.of()));
          }
        }
      }
    }
    return held;
  }

  /**
   * At most {@code limit} rows after the key, in key order: one keyset page ({@code WHERE key > ?
   * ORDER BY key LIMIT n}).
   *
   * @param after the key texts of the row before the page, null from the table's first row
   */
  public static List<Row> page(
      Connection connection, TableShape shape, List<String> after, int limit) throws SQLException {
    List<Row> rows = new ArrayList<>(Math.min(limit, FETCH_SIZE));
    scan(connection, shape, after, null, limit, rows::add);
    return rows;
  }

  /**
   * The key of the {@code n}th row within the bounds, in key order, reading only the key columns;
   * null when the bounds hold fewer than {@code n} rows.
   */
  public static List<String> nthKey(Connection connection, TableShape shape, KeyRange bounds, int n)
      throws SQLException {
    List<Row> last = new ArrayList<>(1);
    int[] count = new int[1];
    scan(
        connection,
        shape,
        shape.keyList(),
        bounds.after(),
        bounds.upTo(),
        n,
        row -> {
          count[0]++;
          last.clear();
          last.add(row);
        });
    return count[0] < n ? null : RowText.key(last.get(0), shape.keyColumns());
  }

  private static void scan(
      Connection connection,
      TableShape shape,
      List<String> after,
      List<String> upTo,
      int limit,
      Consumer<Row> sink)
      throws SQLException {
    scan(connection, shape, "*", after, upTo, limit, sink);
  }

  private static void scan(
      Connection connection,
      TableShape shape,
      String columns,
      List<String> after,
      List<String> upTo,
      int limit,
      Consumer<Row> sink)
      throws SQLException {
    StringBuilder sql =
        new StringBuilder("SELECT ").append(columns).append(" FROM ").append(shape.tableSql());
    List<Param> params = new ArrayList<>();
    String joiner = " WHERE ";
    if (after != null) {
      sql.append(joiner).append(shape.keyTuple()).append(" > ").append(shape.keyMarks());
      params.addAll(shape.params(after));
      joiner = " AND ";
    }
    if (upTo != null) {
      sql.append(joiner).append(shape.keyTuple()).append(" <= ").append(shape.keyMarks());
      params.addAll(shape.params(upTo));
    }
    sql.append(" ORDER BY ").append(shape.keyList());
    if (limit > 0) {
      sql.append(" LIMIT ").append(limit);
    }
    try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
      statement.setFetchSize(FETCH_SIZE);
      ParamBinder.bind(statement, params);
      try (ResultSet rows = statement.executeQuery()) {
        RowSql.Columns read = RowSql.Columns.of(rows.getMetaData());
        while (rows.next()) {
          sink.accept(read.row(rows));
        }
      }
    }
  }
}
