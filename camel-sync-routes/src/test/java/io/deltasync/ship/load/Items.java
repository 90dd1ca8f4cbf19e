package io.deltasync.ship.load;

import io.deltasync.schema.TestDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Update;

/** A table of varied column types, written through MyBatis with relative updates. */
interface Items {

  @Insert(
      "INSERT INTO item (id, sku, qty, price, weight, u, s, t) VALUES (#{id}, #{sku}, #{qty},"
          + " #{price}, #{weight}, #{u}, #{s}, #{t})")
  int insert(
      @Param("id") long id,
      @Param("sku") String sku,
      @Param("qty") int qty,
      @Param("price") BigDecimal price,
      @Param("weight") double weight,
      @Param("u") java.util.UUID u,
      @Param("s") short s,
      @Param("t") java.time.LocalTime t);

  /** Relative: replayed over a newer row image it would count twice. */
  @Update("UPDATE item SET qty = qty - #{by} WHERE id = #{id}")
  int take(@Param("id") long id, @Param("by") int by);

  /**
   * Inserts items 1 to {@code count} through the writer's MyBatis (captured), each with 1,000 in
   * stock and varied other values drawn from the seed, in one transaction.
   */
  static void insertSome(io.deltasync.testing.TestNode writer, int count, long seed) {
    try (org.apache.ibatis.session.SqlSession session = writer.sessions().openSession()) {
      Items items = session.getMapper(Items.class);
      java.util.Random random = new java.util.Random(seed);
      for (int id = 1; id <= count; id++) {
        items.insert(
            id,
            "sku-" + id,
            1_000,
            BigDecimal.valueOf(random.nextInt(100_000), 2),
            random.nextDouble() * 100,
            random.nextBoolean() ? java.util.UUID.randomUUID() : null,
            (short) random.nextInt(1000),
            random.nextBoolean()
                ? java.time.LocalTime.of(random.nextInt(24), random.nextInt(60), 7)
                : null);
      }
      session.commit();
    }
  }

  /** Creates the table, the same on H2, PostgreSQL and MariaDB. */
  static void create(TestDatabase db) {
    db.execute(
        "CREATE TABLE item (id BIGINT PRIMARY KEY, sku VARCHAR(40) NOT NULL, qty INT NOT NULL,"
            + " price DECIMAL(10,2), weight DOUBLE PRECISION, u UUID, s SMALLINT, t TIME)");
  }

  /** Every item, ordered by id, one database-neutral line per row. */
  static List<String> dump(TestDatabase db) {
    List<String> rows = new ArrayList<>();
    try (Connection connection = db.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT id, sku, qty, price, weight, u, s, t FROM item ORDER BY id")) {
      while (row.next()) {
        BigDecimal price = row.getBigDecimal(4);
        rows.add(
            row.getLong(1)
                + "|"
                + row.getString(2)
                + "|"
                + row.getInt(3)
                + "|"
                + (price == null ? null : price.setScale(2).toPlainString())
                + "|"
                + row.getDouble(5)
                + "|"
                + row.getString(6)
                + "|"
                + row.getShort(7)
                + "|"
                + row.getObject(8, java.time.LocalTime.class));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return rows;
  }
}
