package io.deltasync.ship.shop;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;
import org.apache.ibatis.annotations.CacheNamespace;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/**
 * The shop's mapper, written the way shop code is: relative stock changes, one column per account
 * edit, an order-number sequence row, and reads served from MyBatis's second-level cache
 * ({@code @CacheNamespace}, the annotation form of {@code <cache/>}).
 */
@CacheNamespace
public interface ShopMapper {

  /** An item as the shop reads it. */
  record Item(Long id, String name, Integer qty, BigDecimal price) implements Serializable {}

  /** An account as the shop reads it. */
  record Account(Long id, String email, String address, String phone) implements Serializable {}

  @Insert("INSERT INTO ITEM (ID, NAME, QTY, PRICE) VALUES (#{id}, #{name}, #{qty}, #{price})")
  int insertItem(
      @Param("id") long id,
      @Param("name") String name,
      @Param("qty") int qty,
      @Param("price") BigDecimal price);

  @Insert(
      "INSERT INTO ACCOUNT (ID, EMAIL, ADDRESS, PHONE)"
          + " VALUES (#{id}, #{email}, #{address}, #{phone})")
  int insertAccount(
      @Param("id") long id,
      @Param("email") String email,
      @Param("address") String address,
      @Param("phone") String phone);

  @Insert("INSERT INTO SEQ (NAME, VAL) VALUES (#{name}, 0)")
  int insertSeq(@Param("name") String name);

  /** A sale. */
  @Update("UPDATE ITEM SET QTY = QTY - #{n} WHERE ID = #{id}")
  int sell(@Param("id") long id, @Param("n") int n);

  /** A delivery. */
  @Update("UPDATE ITEM SET QTY = QTY + #{n} WHERE ID = #{id}")
  int restock(@Param("id") long id, @Param("n") int n);

  @Update("UPDATE ACCOUNT SET EMAIL = #{email} WHERE ID = #{id}")
  int changeEmail(@Param("id") long id, @Param("email") String email);

  @Update("UPDATE ACCOUNT SET ADDRESS = #{address} WHERE ID = #{id}")
  int changeAddress(@Param("id") long id, @Param("address") String address);

  @Update("UPDATE ACCOUNT SET PHONE = #{phone} WHERE ID = #{id}")
  int changePhone(@Param("id") long id, @Param("phone") String phone);

  /** Takes the client's next order number (read it with {@link #seq}). */
  @Update("UPDATE SEQ SET VAL = VAL + 1 WHERE NAME = #{client}")
  int nextOrderNumber(@Param("client") String client);

  @Select("SELECT VAL FROM SEQ WHERE NAME = #{client}")
  Long seq(@Param("client") String client);

  @Insert("INSERT INTO ORDERS (ID, CLIENT, CREATED) VALUES (#{id}, #{client}, #{created})")
  int insertOrder(
      @Param("id") String id,
      @Param("client") String client,
      @Param("created") LocalDateTime created);

  @Insert(
      "INSERT INTO ORDER_LINE (ID, ORDER_ID, ITEM_ID, QTY)"
          + " VALUES (#{id}, #{orderId}, #{itemId}, #{qty})")
  int insertLine(
      @Param("id") String id,
      @Param("orderId") String orderId,
      @Param("itemId") long itemId,
      @Param("qty") int qty);

  @Select("SELECT ID, NAME, QTY, PRICE FROM ITEM ORDER BY ID")
  List<Item> items();

  @Select("SELECT ID, EMAIL, ADDRESS, PHONE FROM ACCOUNT ORDER BY ID")
  List<Account> accounts();
}
