package io.deltasync.store.internal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import org.postgresql.PGStatement;

/**
 * Queries that compare a column with a list of values, written {@code column IN (...)}.
 *
 * <p>On PostgreSQL the list goes as one array parameter ({@code column = ANY (?)}): one statement
 * text whatever the list's length, parsed and bound once instead of with hundreds of parameters,
 * and one entry in pgjdbc's statement cache instead of one per list length. With {@code IN (?, ?,
 * ...)}, a lookup of 300 delta ids in a {@code ds_delta} growing to 36,000 rows (not yet analyzed)
 * went from 2 ms to 256 ms within 120 lookups, PostgreSQL keeping a plan made when the table was
 * small once pgjdbc prepared the text on the server. The array alone did not end that: pgjdbc
 * prepares a text on the server at its fifth run, PostgreSQL then keeps a generic plan, made
 * without the list's values, and one made while {@code ds_delta} was empty scans the table and
 * compares each row with each listed value. A lookup of 488 delta ids first run on an empty {@code
 * ds_delta} took 1.3 s once the table held 200,000 rows (2 ms by the index), and a hub's apply
 * spent 60 to 100 ms per batch on it in the pipeline benchmark. So pgjdbc sends these texts
 * unprepared ({@code prepareThreshold} 0) and PostgreSQL plans each run with its list (about 0.3
 * ms): by the index on a large table, by one hashed pass on a small one.
 *
 * <p>Elsewhere the list is bound as {@code IN (?, ?, ...)}, in chunks of {@value #CHUNK} values.
 */
public final class ValueLists {

  /** Where a query's SQL names its list; it may name it more than once (each gets the list). */
  public static final String LIST = "IN (...)";

  /** Values per {@code IN} list where arrays are not used. */
  static final int CHUNK = 200;

  /** Sets the parameters before the first list; returns how many it set. */
  @FunctionalInterface
  public interface Leading {
    int bind(PreparedStatement statement) throws SQLException;
  }

  /** Takes one row of the result. */
  @FunctionalInterface
  public interface RowReader {
    void read(ResultSet row) throws SQLException;
  }

  private ValueLists() {}

  /**
   * Runs {@code sql}, each {@link #LIST} in it standing for {@code values}, and hands every row of
   * the result to {@code reader} (once per chunk where the list is split, so a query that sorts or
   * counts sees one chunk at a time). Nothing runs for an empty list.
   *
   * @param values strings or longs, all of one kind
   * @param leading binds the parameters that come before the first list, or null when there are
   *     none; none may come after it
   */
  public static void select(
      Connection connection, String sql, List<?> values, Leading leading, RowReader reader)
      throws SQLException {
    int lists = count(sql);
    if (values.isEmpty()) {
      return;
    }
    if (arrays(connection)) {
      try (PreparedStatement select = connection.prepareStatement(sql.replace(LIST, "= ANY (?)"))) {
        planEachRun(select);
        int i = leading == null ? 0 : leading.bind(select);
        Array array =
            connection.createArrayOf(
                values.get(0) instanceof Long ? "int8" : "text", values.toArray());
        try {
          for (int list = 0; list < lists; list++) {
            select.setArray(++i, array);
          }
          read(select, reader);
        } finally {
          array.free();
        }
      }
      return;
    }
    for (int from = 0; from < values.size(); from += CHUNK) {
      List<?> chunk = values.subList(from, Math.min(values.size(), from + CHUNK));
      String marks = "IN (" + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")";
      try (PreparedStatement select = connection.prepareStatement(sql.replace(LIST, marks))) {
        int i = leading == null ? 0 : leading.bind(select);
        for (int list = 0; list < lists; list++) {
          for (Object value : chunk) {
            select.setObject(++i, value);
          }
        }
        read(select, reader);
      }
    }
  }

  /** Has pgjdbc never prepare the statement on the server: each run is planned with its values. */
  public static void planEachRun(PreparedStatement select) throws SQLException {
    if (select.isWrapperFor(PGStatement.class)) {
      select.unwrap(PGStatement.class).setPrepareThreshold(0);
    }
  }

  /** Whether lists go as arrays: PostgreSQL through pgjdbc. */
  public static boolean arrays(Connection connection) throws SQLException {
    return CommittingInsert.supports(connection);
  }

  private static int count(String sql) {
    int lists = 0;
    for (int at = sql.indexOf(LIST); at >= 0; at = sql.indexOf(LIST, at + LIST.length())) {
      lists++;
    }
    if (lists == 0) {
      throw new IllegalArgumentException("no " + LIST + " in " + sql);
    }
    return lists;
  }

  private static void read(PreparedStatement select, RowReader reader) throws SQLException {
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        reader.read(rows);
      }
    }
  }
}
