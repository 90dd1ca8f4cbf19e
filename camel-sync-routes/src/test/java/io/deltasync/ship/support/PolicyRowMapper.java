package io.deltasync.ship.support;

import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/**
 * The conflict tests' mapper: single-row statements on any of the {@link PolicyTables}, which all
 * have the columns {@code id, title, n, note}. The table name is spliced in ({@code ${table}}), so
 * callers pass only names from {@link PolicyTables#ALL}.
 */
public interface PolicyRowMapper {

  @Select("SELECT COUNT(*) FROM ${table} WHERE id = #{id}")
  int count(@Param("table") String table, @Param("id") long id);

  @Insert(
      "INSERT INTO ${table} (id, title, n, note)"
          + " VALUES (#{id}, #{title}, #{n}, #{note,jdbcType=VARCHAR})")
  int insert(
      @Param("table") String table,
      @Param("id") long id,
      @Param("title") String title,
      @Param("n") int n,
      @Param("note") String note);

  @Update(
      "UPDATE ${table} SET title = #{title}, n = #{n}, note = #{note,jdbcType=VARCHAR}"
          + " WHERE id = #{id}")
  int update(
      @Param("table") String table,
      @Param("id") long id,
      @Param("title") String title,
      @Param("n") int n,
      @Param("note") String note);

  /** A change relative to the row's current value, which replays differently on another row. */
  @Update("UPDATE ${table} SET n = n + 1 WHERE id = #{id}")
  int increment(@Param("table") String table, @Param("id") long id);

  @Delete("DELETE FROM ${table} WHERE id = #{id}")
  int delete(@Param("table") String table, @Param("id") long id);
}
