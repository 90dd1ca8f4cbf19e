package io.deltasync.bench;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Update;

/** The capture benchmark's MyBatis mapper over {@code item}, the same for every variant. */
public interface ItemMapper {

  /** The table every variant gets, identical on each database. */
  String CREATE_TABLE =
      "CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(100), qty INT,"
          + " price DECIMAL(10,2), updated TIMESTAMP)";

  /** One row of {@code item}; MyBatis reads its fields. */
  final class Item {
    public long id;
    public String name;
    public int qty;
    public BigDecimal price;
    public LocalDateTime updated;

    Item(long id) {
      this.id = id;
      this.name = "item " + id;
      this.qty = (int) (id % 1000);
      this.price = new BigDecimal("12.50");
      this.updated = LocalDateTime.of(2026, 12, 4, 12, 0);
    }
  }

  @Insert(
      "INSERT INTO item (id, name, qty, price, updated)"
          + " VALUES (#{id}, #{name}, #{qty}, #{price}, #{updated})")
  int insert(Item item);

  @Update("UPDATE item SET name = #{name}, qty = #{qty}, updated = #{updated} WHERE id = #{id}")
  int update(Item item);

  @Delete("DELETE FROM item WHERE id = #{id}")
  int delete(long id);
}
