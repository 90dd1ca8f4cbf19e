package io.deltasync.verify.internal;

import io.deltasync.capture.internal.PrimaryKeys;
import io.deltasync.conflict.internal.ColumnTypes;
import io.deltasync.conflict.internal.Names;
import io.deltasync.delta.NameFilter;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.delta.internal.ParamText;
import io.deltasync.verify.VerifyException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A table as verify sees it: its name and its primary-key columns with their types, so that key
 * texts can be bound again. Immutable.
 *
 * @param table the table, lower case
 * @param keyColumns the primary-key columns in key order, lower case
 * @param keyTypes the type each key column is read and bound as
 * @param names the table and its columns as this database's SQL must name them
 */
public record TableShape(
    String table, List<String> keyColumns, List<ParamType> keyTypes, Names names) {

  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?");
  private static final PrimaryKeys PRIMARY_KEYS = new PrimaryKeys();

  public TableShape {
    keyColumns = List.copyOf(keyColumns);
    keyTypes = List.copyOf(keyTypes);
  }

  /**
   * The shape of a table on this connection's database.
   *
   * @throws VerifyException when the node does not replicate the table, it does not exist or has no
   *     primary key
   */
  public static TableShape of(Connection connection, String table, NameFilter replicated)
      throws SQLException {
    String name = table == null ? "" : table.toLowerCase(Locale.ROOT);
    if (!NAME.matcher(name).matches()) {
      throw new VerifyException(
          "table must be a plain name such as note or app.note, but was '" + table + "'");
    }
    if (!replicated.selects(name)) {
      throw new VerifyException(
          "table "
              + name
              + " is not replicated by this node ("
              + replicated
              + "): only"
              + " replicated tables can be verified and repaired");
    }
    List<ParamType> types = new ArrayList<>();
    Names names = Names.of(connection, name);
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT * FROM " + names.table() + " WHERE 1 = 0")) {
      ResultSetMetaData meta = rows.getMetaData();
      List<String> keys = PRIMARY_KEYS.of(connection, name);
      if (keys.isEmpty()) {
        throw new VerifyException(
            "table "
                + name
                + " has no primary key: verify and repair cut ranges and name rows"
                + " by it; add a primary key to "
                + name
                + " or leave it out of verify");
      }
      for (String key : keys) {
        types.add(ColumnTypes.of(meta, indexOf(meta, key, name)));
      }
      return new TableShape(name, keys, types, names);
    } catch (VerifyException e) {
      throw e;
    } catch (SQLException e) {
      throw new VerifyException("cannot read table " + name + ": " + e.getMessage(), e);
    }
  }

  /** The key texts as values to bind, typed like the key columns. */
  public List<Param> params(List<String> texts) {
    if (texts.size() != keyColumns.size()) {
      throw new VerifyException(
          "a key of " + table + " needs " + keyColumns.size() + " values, but had " + texts);
    }
    List<Param> params = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      ParamType type = keyTypes.get(i);
      params.add(new Param(type, ParamText.parse(type, texts.get(i))));
    }
    return params;
  }

  /** The key columns as one SQL operand: {@code id} or {@code (a, b)}. */
  String keyTuple() {
    String columns = String.join(", ", names.columns(keyColumns));
    return keyColumns.size() == 1 ? columns : "(" + columns + ")";
  }

  /** The table as this database's SQL names it. */
  String tableSql() {
    return names.table();
  }

  /** The key columns as this database's SQL names them, comma-separated. */
  String keyList() {
    return String.join(", ", names.columns(keyColumns));
  }

  /** As many placeholders as key columns, as one SQL operand. */
  String keyMarks() {
    String marks = String.join(", ", keyColumns.stream().map(column -> "?").toList());
    return keyColumns.size() == 1 ? marks : "(" + marks + ")";
  }

  private static int indexOf(ResultSetMetaData meta, String column, String table)
      throws SQLException {
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      if (meta.getColumnLabel(i).equalsIgnoreCase(column)) {
        return i;
      }
    }
    throw new VerifyException("table " + table + " has no key column " + column);
  }
}
