package io.deltasync.ship.load;

import io.deltasync.schema.TestDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Update;

/**
 * Five tables of varied column types and keys (number, text, composite), seeded with the same rows
 * on every database, and the statements the writing clients run on them through MyBatis.
 */
interface LoadTables {

  /** The tables, each with its ORDER BY for a dump. */
  List<String[]> TABLES =
      List.of(
          new String[] {"ld_item", "id"},
          new String[] {"ld_typed", "id"},
          new String[] {"ld_code", "code"},
          new String[] {"ld_pair", "a, b"},
          new String[] {"ld_stamp", "id"});

  @Insert("INSERT INTO ld_item (id, sku, qty, price) VALUES (#{id}, #{sku}, #{qty}, #{price})")
  int insertItem(
      @Param("id") long id,
      @Param("sku") String sku,
      @Param("qty") int qty,
      @Param("price") BigDecimal price);

  /** Relative: commutes with the other client's. */
  @Update("UPDATE ld_item SET qty = qty + #{by} WHERE id = #{id}")
  int addQty(@Param("id") long id, @Param("by") int by);

  @Delete("DELETE FROM ld_item WHERE id = #{id}")
  int deleteItem(@Param("id") long id);

  @Update("UPDATE ld_typed SET u = #{u}, s = #{s}, r = #{r}, d = #{d}, t = #{t} WHERE id = #{id}")
  int updateTyped(
      @Param("id") int id,
      @Param("u") UUID u,
      @Param("s") short s,
      @Param("r") float r,
      @Param("d") double d,
      @Param("t") LocalTime t);

  @Update("UPDATE ld_code SET label = #{label}, n = n + 1 WHERE code = #{code}")
  int relabel(@Param("code") String code, @Param("label") String label);

  @Insert("INSERT INTO ld_code (code, label, n) VALUES (#{code}, #{label}, 0)")
  int insertCode(@Param("code") String code, @Param("label") String label);

  @Delete("DELETE FROM ld_pair WHERE a = #{a} AND b = #{b}")
  int deletePair(@Param("a") int a, @Param("b") int b);

  @Insert("INSERT INTO ld_pair (a, b, v) VALUES (#{a}, #{b}, #{v})")
  int insertPair(@Param("a") int a, @Param("b") int b, @Param("v") String v);

  @Update("UPDATE ld_stamp SET at = #{at}, amount = #{amount}, note = #{note} WHERE id = #{id}")
  int updateStamp(
      @Param("id") long id,
      @Param("at") LocalDateTime at,
      @Param("amount") BigDecimal amount,
      @Param("note") String note);

  /** Creates the five tables, the same on H2, PostgreSQL and MariaDB. */
  static void create(TestDatabase db) {
    String timestamp = db.kind().equals("mariadb") ? "DATETIME(3)" : "TIMESTAMP(3)";
    db.execute(
        "CREATE TABLE ld_item (id BIGINT PRIMARY KEY, sku VARCHAR(40) NOT NULL, qty INT NOT NULL,"
            + " price DECIMAL(10,2))",
        "CREATE TABLE ld_typed (id INT PRIMARY KEY, u UUID, s SMALLINT, r REAL,"
            + " d DOUBLE PRECISION, t TIME)",
        "CREATE TABLE ld_code (code VARCHAR(20) PRIMARY KEY, label VARCHAR(100), n BIGINT)",
        "CREATE TABLE ld_pair (a INT NOT NULL, b INT NOT NULL, v VARCHAR(40),"
            + " PRIMARY KEY (a, b))",
        "CREATE TABLE ld_stamp (id BIGINT PRIMARY KEY, at "
            + timestamp
            + ", amount DECIMAL(12,3), note VARCHAR(200))");
  }

  /**
   * Writes {@code perTable} rows into each table with plain JDBC (nothing captured), the same rows
   * for the same seed on every database.
   */
  static void seed(TestDatabase db, int perTable, long seed) {
    Random random = new Random(seed);
    try (Connection connection = db.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      batch(
          connection,
          "INSERT INTO ld_item (id, sku, qty, price) VALUES (?, ?, ?, ?)",
          perTable,
          (insert, i) -> {
            insert.setLong(1, i);
            insert.setString(2, "sku-" + i);
            insert.setInt(3, random.nextInt(10_000));
            insert.setBigDecimal(4, BigDecimal.valueOf(random.nextInt(10_000_000), 2));
          });
      batch(
          connection,
          "INSERT INTO ld_typed (id, u, s, r, d, t) VALUES (?, ?, ?, ?, ?, ?)",
          perTable,
          (insert, i) -> {
            insert.setInt(1, i);
            insert.setObject(2, random.nextInt(4) == 0 ? null : new UUID(seed, i));
            insert.setShort(3, (short) random.nextInt(30_000));
            insert.setFloat(4, random.nextInt(100_000) / 4f);
            insert.setDouble(5, random.nextDouble() * 1_000);
            insert.setObject(
                6, random.nextInt(5) == 0 ? null : LocalTime.of(random.nextInt(24), i % 60, 7));
          });
      batch(
          connection,
          "INSERT INTO ld_code (code, label, n) VALUES (?, ?, ?)",
          perTable,
          (insert, i) -> {
            insert.setString(1, code(i));
            insert.setString(2, random.nextInt(6) == 0 ? null : "label " + random.nextLong());
            insert.setLong(3, random.nextInt(1_000));
          });
      batch(
          connection,
          "INSERT INTO ld_pair (a, b, v) VALUES (?, ?, ?)",
          perTable,
          (insert, i) -> {
            insert.setInt(1, i / 100);
            insert.setInt(2, i % 100);
            insert.setString(3, "v" + random.nextInt());
          });
      batch(
          connection,
          "INSERT INTO ld_stamp (id, at, amount, note) VALUES (?, ?, ?, ?)",
          perTable,
          (insert, i) -> {
            insert.setLong(1, i);
            insert.setTimestamp(
                2,
                Timestamp.valueOf(
                    LocalDateTime.of(2026, 1, 1, 0, 0).plusSeconds(random.nextInt(30_000_000))));
            insert.setBigDecimal(3, BigDecimal.valueOf(random.nextLong() % 1_000_000_000L, 3));
            insert.setString(4, random.nextInt(3) == 0 ? null : "n" + random.nextInt());
          });
    } catch (SQLException e) {
      throw new IllegalStateException("could not seed " + db.jdbcUrl(), e);
    }
  }

  /** A text key that sorts the same on every database (fixed width, lower case and digits). */
  static String code(long i) {
    return String.format("c%08d", i);
  }

  /** Every row of every table, in key order, one database-neutral line per row. */
  static List<String> dump(TestDatabase db) {
    List<String> rows = new ArrayList<>();
    try (Connection connection = db.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      for (String[] table : TABLES) {
        try (ResultSet row =
            statement.executeQuery("SELECT * FROM " + table[0] + " ORDER BY " + table[1])) {
          ResultSetMetaData meta = row.getMetaData();
          while (row.next()) {
            StringBuilder line = new StringBuilder(table[0]);
            for (int c = 1; c <= meta.getColumnCount(); c++) {
              line.append('|').append(text(row, meta.getColumnName(c).toLowerCase()));
            }
            rows.add(line.toString());
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return rows;
  }

  private static String text(ResultSet row, String column) throws SQLException {
    Object value =
        switch (column) {
          case "id", "n", "qty", "a", "b", "s" -> row.getLong(column);
          case "price", "amount" -> {
            BigDecimal decimal = row.getBigDecimal(column);
            yield decimal == null ? null : decimal.stripTrailingZeros().toPlainString();
          }
          case "r" -> row.getFloat(column);
          case "d" -> row.getDouble(column);
          case "t" -> row.getObject(column, LocalTime.class);
          case "at" -> row.getObject(column, LocalDateTime.class);
          case "u" -> {
            String text = row.getString(column);
            yield text == null ? null : text.toLowerCase();
          }
          default -> row.getString(column);
        };
    return row.wasNull() ? "null" : String.valueOf(value);
  }

  /** Fills one statement per row and runs them in batches of 1,000, committing each. */
  private static void batch(Connection connection, String sql, int rows, Fill fill)
      throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      for (int i = 1; i <= rows; i++) {
        fill.fill(insert, i);
        insert.addBatch();
        if (i % 1_000 == 0 || i == rows) {
          insert.executeBatch();
          connection.commit();
        }
      }
    }
  }

  /** Sets the parameters of row i. */
  interface Fill {
    void fill(PreparedStatement insert, int i) throws SQLException;
  }
}
