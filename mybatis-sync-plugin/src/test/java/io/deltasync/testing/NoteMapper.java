package io.deltasync.testing;

import java.time.OffsetTime;
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

  /** Binds a {@link OffsetTime}, which H2 takes but DeltaSync cannot record. */
  @Update("UPDATE note SET body = #{at} WHERE id = #{id}")
  int setBodyToTime(@Param("id") long id, @Param("at") OffsetTime at);

  /** A standard MERGE, which the SQL parser understands and DeltaSync refuses. */
  @Update(
      "MERGE INTO note n USING (SELECT CAST(#{id} AS BIGINT) AS id,"
          + " CAST(#{title} AS VARCHAR(200)) AS title) s ON n.id = s.id"
          + " WHEN MATCHED THEN UPDATE SET title = s.title"
          + " WHEN NOT MATCHED THEN INSERT (id, title, done, amount)"
          + " VALUES (s.id, s.title, FALSE, 0)")
  int mergeUsing(Note note);

  /** Dynamic SQL that is an UPDATE or a MERGE depending on its parameter. */
  @Update(
      "<script><choose><when test='merge'>MERGE INTO note n USING (SELECT CAST(#{id} AS BIGINT)"
          + " AS id) s ON n.id = s.id WHEN MATCHED THEN UPDATE SET done = TRUE</when>"
          + "<otherwise>UPDATE note SET done = TRUE WHERE id = #{id}</otherwise></choose></script>")
  int markDoneMaybeMerging(@Param("id") long id, @Param("merge") boolean merge);

  /** MySQL's REPLACE (H2 runs it only in MySQL mode), which DeltaSync refuses. */
  @Insert("REPLACE INTO note (id, title, done, amount) VALUES (#{id}, #{title}, FALSE, 0)")
  int replace(Note note);

  /** Two statements in one mapped statement, which DeltaSync refuses. */
  @Update("UPDATE note SET done = TRUE WHERE id = #{id}; DELETE FROM audit_log WHERE id = #{id}")
  int twoStatements(long id);

  /** A change mapped as a query; MyBatis runs queries with execute(), so it does change the row. */
  @Select("UPDATE note SET title = #{title} WHERE id = #{id}")
  List<Note> updateAsQuery(Note note);

  /** H2's data change delta table: an insert inside a query, which the SQL parser cannot read. */
  @Select(
      "SELECT id FROM FINAL TABLE (INSERT INTO note (id, title, done, amount)"
          + " VALUES (#{id}, #{title}, FALSE, 0))")
  Long insertAsQuery(Note note);

  /** H2 syntax that the SQL parser does not understand. */
  @Insert("MERGE INTO note KEY (id) VALUES (#{id}, #{title}, NULL, FALSE, 0, NULL, NULL, NULL)")
  int mergeH2(Note note);
}
