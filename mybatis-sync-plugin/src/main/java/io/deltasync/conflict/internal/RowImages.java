package io.deltasync.conflict.internal;

import io.deltasync.conflict.Row;
import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaIds;
import io.deltasync.delta.Kind;
import io.deltasync.delta.Param;
import io.deltasync.delta.internal.SqlShape;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Row-image deltas: the hub's row as it is after a resolution, or its deletion, sent to every node.
 *
 * <p>An image is an ordinary delta, so it ships, validates and deduplicates like any other: an
 * {@code INSERT INTO t (all columns) VALUES (...)} or a {@code DELETE FROM t WHERE key = ...}, with
 * the statement id {@link #STATEMENT_ID} and the row's key. A node applies the INSERT form with its
 * database's own upsert ({@code MERGE} on H2, {@code ON CONFLICT} on PostgreSQL, {@code ON
 * DUPLICATE KEY} on MariaDB and MySQL), built from the validated statement's table and columns.
 */
public final class RowImages {

  /** The statement id of row-image deltas. */
  public static final String STATEMENT_ID = "deltasync.rowImage";

  private RowImages() {}

  /** Whether the delta is a row image to apply as an upsert. */
  public static boolean isUpsert(Delta delta) {
    return delta.kind() == Kind.INSERT && STATEMENT_ID.equals(delta.statementId());
  }

  /**
   * The image of a row as it is now: its values, upserted by every node that applies it.
   *
   * @param table the table, lower case, as deltas name it
   * @param keyColumns its primary-key columns, lower case, in key order
   */
  public static Delta ofRow(
      String nodeId, String txId, long capturedAt, String table, List<String> keyColumns, Row row) {
    return of(
        nodeId,
        txId,
        capturedAt,
        new Target(table, table, keyColumns, row.params(keyColumns)),
        row);
  }

  /** The image of the target row: its values, or its deletion when {@code row} is null. */
  static Delta of(String nodeId, String txId, long capturedAt, Target target, Row row) {
    if (row == null) {
      List<String> conditions = new ArrayList<>();
      for (String column : target.keyColumns()) {
        conditions.add(column + " = ?");
      }
      return new Delta(
          DeltaIds.next(),
          nodeId,
          0,
          txId,
          capturedAt,
          0,
          STATEMENT_ID,
          Kind.DELETE,
          target.table(),
          target.rowKey(),
          "DELETE FROM " + target.tableRef() + " WHERE " + String.join(" AND ", conditions),
          target.keyValues());
    }
    List<String> columns = row.columns();
    return new Delta(
        DeltaIds.next(),
        nodeId,
        0,
        txId,
        capturedAt,
        0,
        STATEMENT_ID,
        Kind.INSERT,
        target.table(),
        target.rowKey(),
        "INSERT INTO "
            + target.tableRef()
            + " ("
            + String.join(", ", columns)
            + ") VALUES ("
            + String.join(", ", java.util.Collections.nCopies(columns.size(), "?"))
            + ")",
        row.params(columns));
  }

  /**
   * Executes a validated delta on the caller's transaction: a row image as an upsert, anything else
   * as its own SQL.
   *
   * @return the update count (1 for an upsert)
   */
  public static int execute(Connection connection, Dialect dialect, Delta delta, SqlShape shape)
      throws SQLException {
    if (isUpsert(delta)) {
      upsert(connection, dialect, delta, shape);
      return 1;
    }
    if (isDeletion(delta)) {
      return delete(connection, delta, shape);
    }
    try (java.sql.PreparedStatement statement = connection.prepareStatement(delta.sql())) {
      io.deltasync.apply.internal.ParamBinder.bind(statement, delta.params());
      return statement.executeUpdate();
    }
  }

  /** Whether the delta is a row image deleting its row. */
  public static boolean isDeletion(Delta delta) {
    return delta.kind() == Kind.DELETE && STATEMENT_ID.equals(delta.statementId());
  }

  /**
   * Applies a deletion image, already validated, with SQL naming the table and key columns as this
   * database knows them (the image's own SQL names them as the hub does).
   */
  public static int delete(Connection connection, Delta image, SqlShape shape) throws SQLException {
    if (image.rowKey() == null) {
      throw new SQLException("row image " + image.id() + " must carry its row key, but has none");
    }
    List<String> keyColumns = new ArrayList<>(image.rowKey().values().keySet());
    List<Param> keyValues = new ArrayList<>();
    for (String column : keyColumns) {
      SqlShape.Value value = shape.pinned().get(column);
      if (value == null || value.param() < 0 || value.param() >= image.params().size()) {
        throw new SQLException(
            "row image " + image.id() + " must delete by a parameter for key column " + column);
      }
      keyValues.add(image.params().get(value.param()));
    }
    return RowSql.delete(connection, shape.table(), keyColumns, keyValues);
  }

  /** Applies an upsert image, already validated, with the database's own upsert. */
  public static void upsert(Connection connection, Dialect dialect, Delta image, SqlShape shape)
      throws SQLException {
    List<String> columns = shape.insertColumns();
    if (columns.size() != image.params().size() || image.rowKey() == null) {
      throw new SQLException(
          "row image "
              + image.id()
              + " must list its columns and carry its row key, but has "
              + columns.size()
              + " columns for "
              + image.params().size()
              + " values");
    }
    Map<String, Param> values = new LinkedHashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      values.put(columns.get(i), image.params().get(i));
    }
    String tableRef = shape.tables().size() == 1 ? shape.tables().iterator().next() : image.table();
    RowSql.upsert(
        connection,
        dialect,
        tableRef,
        new ArrayList<>(image.rowKey().values().keySet()),
        new Row(values));
  }
}
