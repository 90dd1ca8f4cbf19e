package io.deltasync.ship.shop;

import io.deltasync.schema.TestDatabase;
import io.deltasync.testing.NotesSchema;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.temporal.Temporal;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The shop's tables, with the upper-case names an existing shop application writes, created
 * unquoted with the same DDL on H2, PostgreSQL and MariaDB; and their rows as DB-neutral text for
 * comparing nodes.
 */
final class ShopSchema {

  /** Every table, in the order they are compared and reported. */
  static final List<String> TABLES = List.of("ITEM", "ACCOUNT", "ORDERS", "ORDER_LINE", "SEQ");

  private static final Map<String, String> SELECTS =
      Map.of(
          "ITEM", "SELECT ID, NAME, QTY, PRICE FROM ITEM",
          "ACCOUNT", "SELECT ID, EMAIL, ADDRESS, PHONE FROM ACCOUNT",
          "ORDERS", "SELECT ID, CLIENT, CREATED FROM ORDERS",
          "ORDER_LINE", "SELECT ID, ORDER_ID, ITEM_ID, QTY FROM ORDER_LINE",
          "SEQ", "SELECT NAME, VAL FROM SEQ");

  private ShopSchema() {}

  /** Creates the tables, unquoted, on the database. */
  static void install(TestDatabase db) {
    db.execute(
        "CREATE TABLE ITEM (ID BIGINT PRIMARY KEY, NAME VARCHAR(100), QTY INT NOT NULL,"
            + " PRICE DECIMAL(10,2))",
        "CREATE TABLE ACCOUNT (ID BIGINT PRIMARY KEY, EMAIL VARCHAR(200), ADDRESS VARCHAR(200),"
            + " PHONE VARCHAR(50))",
        "CREATE TABLE ORDERS (ID VARCHAR(36) PRIMARY KEY, CLIENT VARCHAR(64),"
            + " CREATED TIMESTAMP(3))",
        "CREATE TABLE ORDER_LINE (ID VARCHAR(36) PRIMARY KEY, ORDER_ID VARCHAR(36),"
            + " ITEM_ID BIGINT, QTY INT)",
        "CREATE TABLE SEQ (NAME VARCHAR(64) PRIMARY KEY, VAL BIGINT)");
  }

  /**
   * Every row of the table read with plain JDBC, keyed by its primary key's text, each row as
   * {@code col=value|col=value...} with values in a form all three databases give alike (numbers
   * plain, decimals with their scale, timestamps ISO to the millisecond, {@code null}).
   */
  static Map<String, String> rows(DataSource dataSource, String table) {
    Map<String, String> rows = new TreeMap<>();
    NotesSchema.query(
        dataSource,
        SELECTS.get(table),
        row -> {
          StringBuilder text = new StringBuilder();
          int columns = row.getMetaData().getColumnCount();
          for (int i = 1; i <= columns; i++) {
            if (i > 1) {
              text.append('|');
            }
            text.append(row.getMetaData().getColumnLabel(i).toUpperCase(Locale.ROOT))
                .append('=')
                .append(text(row, i));
          }
          rows.put(row.getString(1), text.toString());
        });
    return rows;
  }

  private static String text(ResultSet row, int column) throws SQLException {
    Object value = row.getObject(column);
    if (value == null) {
      return "null";
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.toPlainString();
    }
    if (value instanceof Number number) {
      return Long.toString(number.longValue());
    }
    if (value instanceof Date || value instanceof Temporal) {
      return String.valueOf(row.getObject(column, LocalDateTime.class));
    }
    return value.toString();
  }

  /** The text {@link #rows} gives for a timestamp. */
  static String text(LocalDateTime timestamp) {
    return String.valueOf(timestamp);
  }
}
