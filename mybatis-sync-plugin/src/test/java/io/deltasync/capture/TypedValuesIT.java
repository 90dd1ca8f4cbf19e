package io.deltasync.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaCodec;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import java.math.BigDecimal;
import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Update;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.type.BaseTypeHandler;
import org.apache.ibatis.type.JdbcType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Typed parameter values survive capture, the wire encoding and apply, nulls included. */
class TypedValuesIT {

  interface TypedMapper {
    @Insert(
        "INSERT INTO typed (id, s, b, i, l, d, ts, tstz, dt, tm, u, bin) VALUES (#{id},"
            + " #{s,jdbcType=VARCHAR}, #{b,jdbcType=BOOLEAN}, #{i,jdbcType=INTEGER},"
            + " #{l,jdbcType=BIGINT}, #{d,jdbcType=DECIMAL}, #{ts,jdbcType=TIMESTAMP}, #{tstz},"
            + " #{dt,jdbcType=DATE}, #{tm,jdbcType=TIME}, #{u,jdbcType=OTHER},"
            + " #{bin,jdbcType=VARBINARY})")
    int insert(Map<String, Object> row);
  }

  enum Mood {
    happy,
    sad
  }

  /** Binds text as {@code Types.OTHER}, as a handler for PostgreSQL's json types would. */
  public static class JsonTextHandler extends BaseTypeHandler<String> {
    @Override
    public void setNonNullParameter(
        PreparedStatement statement, int index, String json, JdbcType jdbcType)
        throws SQLException {
      statement.setObject(index, json, Types.OTHER);
    }

    @Override
    public String getNullableResult(ResultSet rows, String column) throws SQLException {
      return rows.getString(column);
    }

    @Override
    public String getNullableResult(ResultSet rows, int index) throws SQLException {
      return rows.getString(index);
    }

    @Override
    public String getNullableResult(CallableStatement statement, int index) throws SQLException {
      return statement.getString(index);
    }
  }

  interface PersonMapper {
    @Insert(
        "INSERT INTO person (id, mood, doc) VALUES (#{id}, #{mood,jdbcType=OTHER},"
            + " #{doc,jdbcType=OTHER,typeHandler=io.deltasync.capture.TypedValuesIT$JsonTextHandler})")
    int insert(
        @org.apache.ibatis.annotations.Param("id") int id,
        @org.apache.ibatis.annotations.Param("mood") Mood mood,
        @org.apache.ibatis.annotations.Param("doc") String doc);

    @Update("UPDATE person SET mood = #{mood,jdbcType=OTHER} WHERE id = #{id}")
    int setMood(
        @org.apache.ibatis.annotations.Param("id") int id,
        @org.apache.ibatis.annotations.Param("mood") Mood mood);
  }

  static Stream<Arguments> targets() {
    return Stream.of(
        Arguments.of("h2", (Function<String, TestDatabase>) TestDatabases::h2),
        Arguments.of("postgresql", (Function<String, TestDatabase>) TestDatabases::postgres));
  }

  private static void createTypedTable(TestDatabase db) {
    boolean pg = db.kind().equals("postgresql");
    db.execute(
        "CREATE TABLE typed (id INT PRIMARY KEY, s VARCHAR(100), b BOOLEAN, i INT, l BIGINT,"
            + " d DECIMAL(30,6), ts TIMESTAMP(6), tstz TIMESTAMP(6) WITH TIME ZONE, dt DATE,"
            + " tm TIME(3), u UUID, bin "
            + (pg ? "BYTEA" : "VARBINARY(300)")
            + ")");
  }

  private static Map<String, Object> fullRow() {
    Map<String, Object> row = new HashMap<>();
    row.put("id", 1);
    row.put("s", "it's \"quoted\" – ünïcödé 🚀 \\ \n end");
    row.put("b", true);
    row.put("i", Integer.MIN_VALUE);
    row.put("l", Long.MAX_VALUE);
    row.put("d", new BigDecimal("-12345.600000"));
    row.put("ts", Timestamp.valueOf(LocalDateTime.of(2026, 11, 22, 3, 4, 5, 123_456_000)));
    row.put("tstz", OffsetDateTime.of(2026, 11, 22, 3, 4, 5, 0, ZoneOffset.ofHoursMinutes(5, 30)));
    row.put("dt", java.sql.Date.valueOf(LocalDate.of(1999, 12, 31)));
    // a java.sql.Time's milliseconds are not in its hours, minutes and seconds
    row.put(
        "tm", new java.sql.Time(java.sql.Time.valueOf(LocalTime.of(23, 59, 58)).getTime() + 456));
    row.put("u", UUID.fromString("0196a3c2-7e4f-7b1a-9c3d-5e6f7a8b9c0d"));
    byte[] all = new byte[256];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) i;
    }
    row.put("bin", all);
    return row;
  }

  private static Map<String, Object> nullRow() {
    Map<String, Object> row = new HashMap<>();
    row.put("id", 2);
    for (String column : List.of("s", "b", "i", "l", "d", "ts", "tstz", "dt", "tm", "u", "bin")) {
      row.put(column, null);
    }
    return row;
  }

  @ParameterizedTest(name = "H2 to {0}")
  @MethodSource("targets")
  void typedValuesArriveUnchanged(String kind, Function<String, TestDatabase> database) {
    TestNode a = TestNode.start("node-a", TestDatabases.h2("typed-a"));
    TestNode b = TestNode.start("node-b", database.apply("typed_b"));
    createTypedTable(a.db());
    createTypedTable(b.db());
    a.sessions().getConfiguration().addMapper(TypedMapper.class);
    try (SqlSession session = a.sessions().openSession()) {
      session.getMapper(TypedMapper.class).insert(fullRow());
      session.getMapper(TypedMapper.class).insert(nullRow());
      session.commit();
    }

    List<Delta> deltas = a.node().store().pendingFor("node-b", 0, 10).deltas();
    assertThat(deltas.get(0).params())
        .extracting(Param::type)
        .containsExactly(
            ParamType.INT,
            ParamType.STRING,
            ParamType.BOOLEAN,
            ParamType.INT,
            ParamType.LONG,
            ParamType.DECIMAL,
            ParamType.TIMESTAMP,
            ParamType.OFFSET_DATE_TIME,
            ParamType.DATE,
            ParamType.TIME,
            ParamType.UUID,
            ParamType.BYTES);
    assertThat(deltas.get(1).params().subList(1, 12)).allMatch(Param::isNull);
    assertThat(deltas.get(0).params().get(5).value()).isEqualTo(new BigDecimal("-12345.600000"));
    for (Delta delta : deltas) {
      byte[] encoded = DeltaCodec.encode(delta);
      assertThat(DeltaCodec.encode(DeltaCodec.decode(encoded))).isEqualTo(encoded);
      assertThat(DeltaCodec.decode(encoded)).isEqualTo(delta);
    }

    b.node().pull(a.node());

    assertThat(rows(b.db())).isEqualTo(rows(a.db())).hasSize(2);
  }

  @Test
  void postgresEnumsAndJsonBoundAsOtherArriveUnchanged() {
    TestNode a = TestNode.start("node-a", TestDatabases.postgres("other_a"));
    TestNode b = TestNode.start("node-b", TestDatabases.postgres("other_b"));
    for (TestNode node : List.of(a, b)) {
      node.db()
          .execute(
              "CREATE TYPE mood AS ENUM ('happy', 'sad')",
              "CREATE TABLE person (id INT PRIMARY KEY, mood mood, doc JSONB)");
    }
    a.sessions().getConfiguration().addMapper(PersonMapper.class);
    try (SqlSession session = a.sessions().openSession()) {
      PersonMapper people = session.getMapper(PersonMapper.class);
      people.insert(1, Mood.happy, "{\"tags\": [\"ü\", 1]}");
      people.insert(2, null, null);
      people.setMood(2, Mood.sad);
      session.commit();
    }

    List<Delta> deltas = a.node().store().pendingFor("node-b", 0, 10).deltas();
    assertThat(deltas.get(0).params())
        .containsExactly(
            new Param(ParamType.INT, 1),
            new Param(ParamType.OTHER, "happy"),
            new Param(ParamType.OTHER, "{\"tags\": [\"ü\", 1]}"));
    assertThat(deltas.get(1).params().subList(1, 3)).allMatch(Param::isNull);
    assertThat(deltas.get(2).params().get(0)).isEqualTo(new Param(ParamType.OTHER, "sad"));
    for (Delta delta : deltas) {
      assertThat(DeltaCodec.decode(DeltaCodec.encode(delta))).isEqualTo(delta);
    }

    b.node().pull(a.node());

    assertThat(people(b.db()))
        .isEqualTo(people(a.db()))
        .containsExactly("1|happy|{\"tags\": [\"ü\", 1]}", "2|sad|null");
  }

  private static List<String> people(TestDatabase db) {
    List<String> rows = new ArrayList<>();
    NotesSchema.query(
        db.dataSource(),
        "SELECT id, mood, doc FROM person ORDER BY id",
        row -> rows.add(row.getInt(1) + "|" + row.getString(2) + "|" + row.getString(3)));
    return rows;
  }

  private static List<String> rows(TestDatabase db) {
    List<String> rows = new ArrayList<>();
    NotesSchema.query(
        db.dataSource(),
        "SELECT id, s, b, i, l, d, ts, tstz, dt, tm, u, bin FROM typed ORDER BY id",
        row -> {
          OffsetDateTime tstz = row.getObject(8, OffsetDateTime.class);
          byte[] bin = row.getBytes(12);
          rows.add(
              String.join(
                  "|",
                  row.getString(1),
                  row.getString(2),
                  row.getObject(3) == null ? "null" : String.valueOf(row.getBoolean(3)),
                  String.valueOf(row.getObject(4)),
                  String.valueOf(row.getObject(5)),
                  String.valueOf(row.getBigDecimal(6)),
                  String.valueOf(row.getObject(7, LocalDateTime.class)),
                  tstz == null ? "null" : tstz.toInstant().toString(),
                  String.valueOf(row.getObject(9, LocalDate.class)),
                  String.valueOf(row.getObject(10, LocalTime.class)),
                  String.valueOf(row.getObject(11, UUID.class)),
                  bin == null ? "null" : java.util.HexFormat.of().formatHex(bin)));
        });
    return rows;
  }
}
