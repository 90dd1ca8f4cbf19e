package io.deltasync.capture.autoconfigure;

import java.util.List;
import java.util.Map;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** The application's mapper in these tests: notes, and an audit table that is not replicated. */
@Mapper
public interface NoteMapper {

  @Insert("INSERT INTO note (id, title) VALUES (#{id}, #{title})")
  int insert(@Param("id") long id, @Param("title") String title);

  @Update("UPDATE note SET title = #{title} WHERE id = #{id}")
  int rename(@Param("id") long id, @Param("title") String title);

  @Delete("DELETE FROM note WHERE id = #{id}")
  int delete(@Param("id") long id);

  @Insert("INSERT INTO audit_note (id, title) VALUES (#{id}, #{title})")
  int audit(@Param("id") long id, @Param("title") String title);

  @Select("SELECT id, title FROM note ORDER BY id")
  List<Map<String, Object>> all();
}
