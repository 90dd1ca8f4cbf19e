package io.deltasync.conflict.internal;

import static io.deltasync.conflict.internal.RowDatabases.KINDS;
import static io.deltasync.conflict.internal.RowDatabases.inTransaction;
import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.conflict.Row;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.delta.internal.ParamText;
import io.deltasync.schema.TestDatabase;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Column types beyond the notes table cross databases as row images, or stay on PostgreSQL. */
class RowSqlTypesIT {

  private static final List<String> ID = List.of("id");
  private static final String UUID_TEXT = "123e4567-e89b-12d3-a456-426614174000";
  private static final Map<String, TestDatabase> SOURCES = new HashMap<>();
  private static final Map<String, TestDatabase> TARGETS = new HashMap<>();

  @BeforeAll
  static void startDatabases() {
    for (String kind : KINDS) {
      SOURCES.put(kind, typed(kind, "types_from"));
      TARGETS.put(kind, typed(kind, "types_to"));
      SOURCES
          .get(kind)
          .execute(
              "INSERT INTO typed VALUES (1, '" + UUID_TEXT + "', 7, 1.5, -2.25, '10:15:30')",
              "INSERT INTO typed (id) VALUES (2)");
    }
    for (String kind : KINDS) {
      // a date before the Gregorian reform, the first day of the calendar, a time with a fraction
      SOURCES
          .get(kind)
          .execute(
              "INSERT INTO dated VALUES (1, DATE '1500-06-01', TIMESTAMP '1500-06-01 12:00:00.123',"
                  + " TIME '10:15:30.456')",
              "INSERT INTO dated VALUES (2, DATE '0001-01-01', TIMESTAMP '0001-01-01 00:00:00',"
                  + " TIME '23:59:59.999')",
              // a wall time that does not exist in Berlin: clocks went from 02:00 to 03:00
              "INSERT INTO dated (id, ts) VALUES (3, TIMESTAMP '2026-03-29 02:30:00')");
    }
    TestDatabase pg = SOURCES.get("postgresql");
    pg.execute(
        "INSERT INTO zoned VALUES (1, '2026-01-02 03:04:05.678+02')",
        "CREATE TYPE mood AS ENUM ('happy', 'sad')",
        "CREATE TABLE pg_typed (id INT PRIMARY KEY, j JSONB, m mood, ip INET, tt TIMETZ,"
            + " bits BIT(8), b BOOLEAN)",
        "INSERT INTO pg_typed VALUES (1, '{\"a\": [1, 2]}', 'sad', '10.0.0.1/32', '10:00+02',"
            + " B'10101010', true)",
        "INSERT INTO pg_typed (id) VALUES (2)");
    SOURCES
        .get("h2")
        .execute(
            "INSERT INTO zoned VALUES (1, TIMESTAMP WITH TIME ZONE"
                + " '2026-01-02 03:04:05.678+02:00')");
  }

  private static TestDatabase typed(String kind, String name) {
    TestDatabase db = RowDatabases.fresh(kind, name);
    db.execute(
        "CREATE TABLE typed (id INT PRIMARY KEY, u UUID, s SMALLINT, r REAL,"
            + " d DOUBLE PRECISION, t TIME)");
    // MariaDB's TIMESTAMP starts in 1970: its DATETIME is the SQL TIMESTAMP
    String timestamp = kind.equals("mariadb") ? "DATETIME(3)" : "TIMESTAMP(3)";
    db.execute("CREATE TABLE dated (id INT PRIMARY KEY, d DATE, ts " + timestamp + ", t TIME(3))");
    if (!kind.equals("mariadb")) {
      db.execute("CREATE TABLE zoned (id INT PRIMARY KEY, tz TIMESTAMP(3) WITH TIME ZONE)");
    }
    return db;
  }

  @AfterAll
  static void closePools() {
    SOURCES.values().forEach(TestDatabase::close);
    TARGETS.values().forEach(TestDatabase::close);
  }

  @ParameterizedTest(name = "{0} to {1}")
  @MethodSource("io.deltasync.conflict.internal.RowDatabases#pairs")
  void uuidsNumbersAndTimesArriveAsTheyLeft(String from, String to) throws SQLException {
    List<Row> rows =
        List.of(select(SOURCES.get(from), "typed", 1), select(SOURCES.get(from), "typed", 2));

    assertThat(rows.get(0).param("u"))
        .isEqualTo(new Param(ParamType.UUID, java.util.UUID.fromString(UUID_TEXT)));
    assertThat(rows.get(1).param("u")).isEqualTo(Param.nullOf("OTHER"));
    copy(TARGETS.get(to), "typed", rows);
    assertThat(texts(select(TARGETS.get(to), "typed", 1))).isEqualTo(texts(rows.get(0)));
    assertThat(texts(select(TARGETS.get(to), "typed", 2))).isEqualTo(texts(rows.get(1)));
  }

  /**
   * Dates and times are bound as what they are, not as {@code java.sql} types: those shifted a date
   * before 1582 by ten days (the Julian calendar behind {@code java.sql.Date}) on H2, and dropped a
   * time's fraction of a second everywhere.
   */
  @ParameterizedTest(name = "{0} to {1}")
  @MethodSource("io.deltasync.conflict.internal.RowDatabases#pairs")
  void oldDatesAndFractionsOfASecondArriveAsTheyLeft(String from, String to) throws SQLException {
    Row old = select(SOURCES.get(from), "dated", 1);
    Row first = select(SOURCES.get(from), "dated", 2);
    assertThat(old.get("d")).isEqualTo(LocalDate.of(1500, 6, 1));
    assertThat(old.get("ts")).isEqualTo(LocalDateTime.of(1500, 6, 1, 12, 0, 0, 123_000_000));
    assertThat(old.get("t")).isEqualTo(LocalTime.of(10, 15, 30, 456_000_000));

    copy(TARGETS.get(to), "dated", List.of(old, first));
    assertThat(select(TARGETS.get(to), "dated", 1)).isEqualTo(old);
    assertThat(select(TARGETS.get(to), "dated", 2)).isEqualTo(first);
    assertThat(select(TARGETS.get(to), "dated", 2).get("d")).isEqualTo(LocalDate.of(1, 1, 1));
  }

  /**
   * A wall time in a daylight saving gap of the JVM's zone: bound as a {@code java.sql.Timestamp}
   * it moved an hour on. Not MariaDB: its driver (3.5) reads a DATETIME through the JVM's zone,
   * {@code getString} too, so that such a wall time reads an hour later, though it is written and
   * stored as it is.
   */
  @ParameterizedTest(name = "{0} to {1}")
  @MethodSource("zonedPairs")
  void aWallTimeInADaylightSavingGapArrivesAsItLeft(String from, String to) throws SQLException {
    TimeZone zone = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone("Europe/Berlin"));
    try {
      Row gap = select(SOURCES.get(from), "dated", 3);
      assertThat(gap.get("ts")).isEqualTo(LocalDateTime.of(2026, 3, 29, 2, 30));

      copy(TARGETS.get(to), "dated", List.of(gap));
      assertThat(select(TARGETS.get(to), "dated", 3)).isEqualTo(gap);
    } finally {
      TimeZone.setDefault(zone);
    }
  }

  @ParameterizedTest(name = "{0} to {1}")
  @MethodSource("zonedPairs")
  void zonedTimestampsKeepTheirInstant(String from, String to) throws SQLException {
    Row row = select(SOURCES.get(from), "zoned", 1);

    copy(TARGETS.get(to), "zoned", List.of(row));
    OffsetDateTime sent = (OffsetDateTime) row.get("tz");
    OffsetDateTime arrived = (OffsetDateTime) select(TARGETS.get(to), "zoned", 1).get("tz");
    assertThat(arrived.toInstant())
        .isEqualTo(sent.toInstant())
        .isEqualTo("2026-01-02T01:04:05.678Z");
  }

  static Stream<Arguments> zonedPairs() {
    return RowDatabases.pairs().filter(pair -> !List.of(pair.get()).contains("mariadb"));
  }

  @Test
  void postgresqlOwnTypesTravelAsText() throws SQLException {
    TestDatabase source = SOURCES.get("postgresql");
    TestDatabase target = TARGETS.get("postgresql");
    target.execute(
        "CREATE TYPE mood AS ENUM ('happy', 'sad')",
        "CREATE TABLE pg_typed (id INT PRIMARY KEY, j JSONB, m mood, ip INET, tt TIMETZ,"
            + " bits BIT(8), b BOOLEAN)");
    Row full = select(source, "pg_typed", 1);
    Row nulls = select(source, "pg_typed", 2);

    assertThat(full.param("j")).isEqualTo(new Param(ParamType.OTHER, "{\"a\": [1, 2]}"));
    assertThat(full.param("m"))
        .as("an enum reports VARCHAR")
        .isEqualTo(new Param(ParamType.OTHER, "sad"));
    assertThat(full.param("ip")).isEqualTo(new Param(ParamType.OTHER, "10.0.0.1"));
    assertThat(full.param("tt")).isEqualTo(new Param(ParamType.OTHER, "10:00:00+02"));
    assertThat(full.param("bits")).isEqualTo(new Param(ParamType.OTHER, "10101010"));
    assertThat(full.param("b"))
        .as("bool reports BIT")
        .isEqualTo(new Param(ParamType.BOOLEAN, true));
    assertThat(nulls.params(List.of("j", "m", "ip", "tt", "bits", "b")))
        .containsExactly(
            Param.nullOf("OTHER"),
            Param.nullOf("OTHER"),
            Param.nullOf("OTHER"),
            Param.nullOf("OTHER"),
            Param.nullOf("OTHER"),
            Param.nullOf("BIT"));

    copy(target, "pg_typed", List.of(full.withText("m", "happy"), nulls));
    copy(target, "pg_typed", List.of(full, nulls));
    assertThat(select(target, "pg_typed", 1)).isEqualTo(full);
    assertThat(select(target, "pg_typed", 2)).isEqualTo(nulls);
  }

  private static void copy(TestDatabase target, String table, List<Row> rows) throws SQLException {
    inTransaction(
        target,
        connection -> {
          for (Row row : rows) {
            RowSql.upsert(connection, Dialect.of(connection), table, ID, row);
          }
          return null;
        });
  }

  private static Row select(TestDatabase db, String table, int id) throws SQLException {
    List<Param> key = List.of(new Param(ParamType.INT, id));
    return inTransaction(db, connection -> RowSql.select(connection, table, ID, key));
  }

  /** Each value's text, so that databases reading a column as different types compare. */
  private static Map<String, String> texts(Row row) {
    Map<String, String> texts = new LinkedHashMap<>();
    row.values()
        .forEach(
            (column, value) -> texts.put(column, value.isNull() ? "null" : ParamText.of(value)));
    return texts;
  }
}
