package io.deltasync.e2e.app;

import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Update;

/**
 * The statements of the exactly-once witnesses: relative updates that a duplicate or a loss would
 * show, and the append-only log that names each operation that committed.
 */
public interface WitnessMapper {

  @Insert("INSERT INTO counter (node, n) VALUES (#{node}, 0)")
  int addCounter(@Param("node") String node);

  @Update("UPDATE counter SET n = n + 1 WHERE node = #{node}")
  int increment(@Param("node") String node);

  @Update("UPDATE item SET qty = qty - 1 WHERE id = #{id}")
  int takeOne(@Param("id") long id);

  @Insert(
      "INSERT INTO op_log (id, node, op_no, kind, target)"
          + " VALUES (#{id}, #{node}, #{opNo}, #{kind}, #{target})")
  int log(
      @Param("id") String id,
      @Param("node") String node,
      @Param("opNo") long opNo,
      @Param("kind") String kind,
      @Param("target") String target);
}
