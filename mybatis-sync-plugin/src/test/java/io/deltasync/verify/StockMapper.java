package io.deltasync.verify;

import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Update;

/** A stock table's mapper for reload tests: counters changed by relative updates. */
public interface StockMapper {

  @Insert("INSERT INTO stock (id, name, qty) VALUES (#{id}, #{name}, #{qty})")
  int insert(@Param("id") long id, @Param("name") String name, @Param("qty") int qty);

  /** A relative update: replayed twice, it would count twice. */
  @Update("UPDATE stock SET qty = qty + 1 WHERE id = #{id}")
  int increment(long id);
}
