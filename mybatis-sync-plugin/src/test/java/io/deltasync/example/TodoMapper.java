package io.deltasync.example;

import java.util.List;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** The example application's mapper. */
public interface TodoMapper {

  @Insert("INSERT INTO todo (id, title, done) VALUES (#{id}, #{title}, FALSE)")
  int add(
      @org.apache.ibatis.annotations.Param("id") String id,
      @org.apache.ibatis.annotations.Param("title") String title);

  @Update("UPDATE todo SET done = TRUE WHERE id = #{id}")
  int finish(String id);

  @Delete("DELETE FROM todo WHERE id = #{id}")
  int remove(String id);

  @Select(
      "SELECT id || ' ' || title || CASE WHEN done THEN ' (done)' ELSE '' END FROM todo"
          + " ORDER BY title")
  List<String> list();
}
