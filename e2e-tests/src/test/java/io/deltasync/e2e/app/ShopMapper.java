package io.deltasync.e2e.app;

import java.math.BigDecimal;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Update;

/** The shop's statements; every change goes through MyBatis, so DeltaSync captures it. */
public interface ShopMapper {

  @Insert("INSERT INTO note (id, title, body, updated_by) VALUES (#{id}, #{title}, '', #{by})")
  int addNote(@Param("id") long id, @Param("title") String title, @Param("by") String by);

  @Update("UPDATE note SET body = #{body}, updated_by = #{by} WHERE id = #{id}")
  int editNote(@Param("id") long id, @Param("body") String body, @Param("by") String by);

  @Insert("INSERT INTO item (id, name, qty, price) VALUES (#{id}, #{name}, #{qty}, #{price})")
  int addItem(
      @Param("id") long id,
      @Param("name") String name,
      @Param("qty") int qty,
      @Param("price") BigDecimal price);

  @Update("UPDATE item SET qty = qty - #{taken} WHERE id = #{id}")
  int takeItems(@Param("id") long id, @Param("taken") int taken);

  @Insert("INSERT INTO local_setting (name, setting_value) VALUES (#{name}, #{value})")
  int addSetting(@Param("name") String name, @Param("value") String value);
}
