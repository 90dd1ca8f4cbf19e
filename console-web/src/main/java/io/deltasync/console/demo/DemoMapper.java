package io.deltasync.console.demo;

import java.time.LocalDateTime;
import java.util.List;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** The demo application's statements; every change goes through MyBatis, so it is captured. */
public interface DemoMapper {

  @Insert("INSERT INTO todo (id, title, done, updated_at) VALUES (#{id}, #{title}, FALSE, #{at})")
  int addTodo(@Param("id") long id, @Param("title") String title, @Param("at") LocalDateTime at);

  @Update("UPDATE todo SET done = #{done}, updated_at = #{at} WHERE id = #{id}")
  int finishTodo(@Param("id") long id, @Param("done") boolean done, @Param("at") LocalDateTime at);

  @Delete("DELETE FROM todo WHERE id = #{id}")
  int removeTodo(@Param("id") long id);

  @Insert("INSERT INTO note (id, title, body, updated_by) VALUES (#{id}, #{title}, '', #{by})")
  int addNote(@Param("id") long id, @Param("title") String title, @Param("by") String by);

  @Update("UPDATE note SET body = #{body}, updated_by = #{by} WHERE id = #{id}")
  int editNote(@Param("id") long id, @Param("body") String body, @Param("by") String by);

  @Select("SELECT COUNT(*) FROM note WHERE id = #{id}")
  int noteExists(@Param("id") long id);

  @Select("SELECT id FROM todo ORDER BY id")
  List<Long> todoIds();

  @Select("SELECT body FROM note WHERE id = #{id}")
  String noteBody(@Param("id") long id);
}
