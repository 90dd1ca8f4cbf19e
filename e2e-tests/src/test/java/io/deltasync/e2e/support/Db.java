package io.deltasync.e2e.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * One node's database as the tests read it, directly, never through the console; a test may also
 * write to it past DeltaSync ({@link #update}).
 */
public final class Db {

  private final String node;
  private final DataSource dataSource;

  /** A node's database, read through the data source. */
  public Db(String node, DataSource dataSource) {
    this.node = node;
    this.dataSource = dataSource;
  }

  /** The single number the query answers. */
  public long number(String sql, Object... params) {
    List<List<String>> rows = rows(sql, params);
    return Long.parseLong(rows.get(0).get(0));
  }

  /** The single text the query answers, or null when it finds no row. */
  public String text(String sql, Object... params) {
    List<List<String>> rows = rows(sql, params);
    return rows.isEmpty() ? null : rows.get(0).get(0);
  }

  /** Every row of the query, each column as text (null as null). */
  public List<List<String>> rows(String sql, Object... params) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        statement.setObject(i + 1, params[i]);
      }
      try (ResultSet result = statement.executeQuery()) {
        int columns = result.getMetaData().getColumnCount();
        List<List<String>> rows = new ArrayList<>();
        while (result.next()) {
          List<String> row = new ArrayList<>();
          for (int column = 1; column <= columns; column++) {
            row.add(result.getString(column));
          }
          rows.add(row);
        }
        return rows;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("on " + node + ": " + sql + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs one statement in its own transaction with plain JDBC: nothing is captured, so no delta
   * takes the change to another node.
   *
   * @return the rows it changed
   */
  public int update(String sql, Object... params) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        statement.setObject(i + 1, params[i]);
      }
      int changed = statement.executeUpdate();
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
      return changed;
    } catch (SQLException e) {
      throw new IllegalStateException("on " + node + ": " + sql + ": " + e.getMessage(), e);
    }
  }

  /** A note's body and its last editor, "body|updated_by", or null when the note is missing. */
  public String note(long id) {
    List<List<String>> rows = rows("SELECT body, updated_by FROM note WHERE id = ?", id);
    return rows.isEmpty() ? null : rows.get(0).get(0) + "|" + rows.get(0).get(1);
  }

  /** Whether the table holds a row with the id. */
  public boolean has(String table, long id) {
    return number("SELECT COUNT(*) FROM " + table + " WHERE id = ?", id) == 1;
  }

  public String node() {
    return node;
  }
}
