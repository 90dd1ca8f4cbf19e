package io.deltasync.conflict.shop;

import org.apache.ibatis.annotations.CacheNamespace;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** A shop application's mapper, as such code is written: upper-case names, relative updates. */
@CacheNamespace
public interface ShopMapper {

  @Insert("INSERT INTO ITEM (ID, NAME, QTY) VALUES (#{id}, #{name}, #{qty})")
  int addItem(@Param("id") long id, @Param("name") String name, @Param("qty") int qty);

  @Update("UPDATE ITEM SET QTY = QTY - #{n} WHERE ID = #{id}")
  int sell(@Param("id") long id, @Param("n") int n);

  @Update("UPDATE ITEM SET QTY = #{qty} WHERE ID = #{id}")
  int count(@Param("id") long id, @Param("qty") int qty);

  @Select("SELECT QTY FROM ITEM WHERE ID = #{id}")
  Integer qty(long id);

  @Insert("INSERT INTO ACCOUNT (ID, EMAIL, ADDRESS) VALUES (#{id}, #{email}, #{address})")
  int addAccount(
      @Param("id") long id, @Param("email") String email, @Param("address") String address);

  @Update("UPDATE ACCOUNT SET EMAIL = #{email} WHERE ID = #{id}")
  int changeEmail(@Param("id") long id, @Param("email") String email);

  @Update("UPDATE ACCOUNT SET ADDRESS = #{address} WHERE ID = #{id}")
  int changeAddress(@Param("id") long id, @Param("address") String address);

  @Insert("INSERT INTO SEQ (NAME, VAL) VALUES (#{name}, #{val})")
  int addSequence(@Param("name") String name, @Param("val") long val);

  @Update("UPDATE SEQ SET VAL = #{val} WHERE NAME = #{name}")
  int setSequence(@Param("name") String name, @Param("val") long val);
}
