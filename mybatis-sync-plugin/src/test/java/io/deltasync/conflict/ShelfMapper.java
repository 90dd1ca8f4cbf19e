package io.deltasync.conflict;

import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** A table keyed by a fixed-length code, {@code shelf (code CHAR(8) PRIMARY KEY, qty INT)}. */
public interface ShelfMapper {

  String CREATE = "CREATE TABLE shelf (code CHAR(8) PRIMARY KEY, qty INT NOT NULL)";

  @Insert("INSERT INTO shelf (code, qty) VALUES (#{code}, #{qty})")
  int insert(@Param("code") String code, @Param("qty") int qty);

  @Update("UPDATE shelf SET qty = #{qty} WHERE code = #{code}")
  int setQty(@Param("code") String code, @Param("qty") int qty);

  /** The code as the database returns it: padded to 8 characters by H2 and PostgreSQL. */
  @Select("SELECT code FROM shelf WHERE code = #{code}")
  String code(@Param("code") String code);

  @Select("SELECT qty FROM shelf WHERE code = #{code}")
  Integer qty(@Param("code") String code);
}
