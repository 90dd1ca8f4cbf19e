package io.deltasync.testing;

import java.util.List;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** The test application's mapper. */
public interface NoteMapper {

  @Insert(
      "INSERT INTO note (id, title, body, done, amount, created_at, due_day, data)"
          + " VALUES (#{id}, #{title}, #{body}, #{done}, #{amount}, #{createdAt}, #{dueDay},"
          + " #{data})")
  int insert(Note note);

  @Update(
      "UPDATE note SET title = #{title}, body = #{body}, amount = #{amount},"
          + " created_at = #{createdAt} WHERE id = #{id}")
  int update(Note note);

  @Update("UPDATE note SET done = #{done} WHERE title LIKE #{prefix}")
  int markDone(@Param("prefix") String prefix, @Param("done") boolean done);

  @Insert(
      "INSERT INTO note (id, title, body, done, amount, created_at, due_day, data)"
          + " SELECT #{newId}, title, body, done, amount, created_at, due_day, data FROM note"
          + " WHERE id = #{id}")
  int copy(@Param("id") long id, @Param("newId") long newId);

  @Delete("DELETE FROM note WHERE id = #{id}")
  int delete(long id);

  @Select("SELECT id, title FROM note ORDER BY id")
  List<Note> all();

  @Insert("INSERT INTO ticket (title) VALUES (#{title})")
  @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
  int insertTicket(Ticket ticket);

  @Insert("INSERT INTO audit_log (id, message) VALUES (#{id}, #{message})")
  int insertAudit(@Param("id") long id, @Param("message") String message);

  /** H2 syntax that the SQL parser does not understand. */
  @Insert("MERGE INTO note KEY (id) VALUES (#{id}, #{title}, NULL, FALSE, 0, NULL, NULL, NULL)")
  int mergeH2(Note note);
}
