package io.deltasync.conflict.internal;

import static io.deltasync.conflict.internal.RowDatabases.KINDS;
import static io.deltasync.conflict.internal.RowDatabases.inTransaction;
import static io.deltasync.conflict.internal.RowDatabases.noteKey;
import static io.deltasync.conflict.internal.RowDatabases.notes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.conflict.Row;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.schema.TestDatabase;
import io.deltasync.testing.NotesSchema;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rows read on H2, PostgreSQL and MariaDB and written to each of them with its own upsert (and the
 * UPDATE-then-INSERT fallback) arrive value for value, nulls included.
 */
class RowSqlIT {

  private static final List<String> ID = List.of("id");
  private static final Map<String, TestDatabase> SOURCES = new HashMap<>();
  private static final Map<String, TestDatabase> TARGETS = new HashMap<>();

  @BeforeAll
  static void startDatabases() throws SQLException {
    for (String kind : KINDS) {
      SOURCES.put(
          kind, RowDatabases.seed(RowDatabases.notesDatabase(kind, "rows_from"), base(kind)));
      TARGETS.put(kind, RowDatabases.notesDatabase(kind, "rows_to"));
    }
  }

  @AfterAll
  static void closePools() {
    SOURCES.values().forEach(TestDatabase::close);
    TARGETS.values().forEach(TestDatabase::close);
  }

  @ParameterizedTest(name = "{0} to {1}")
  @MethodSource("io.deltasync.conflict.internal.RowDatabases#pairs")
  void upsertInsertsThenUpdatesUntilBothDumpsAreEqual(String from, String to) throws SQLException {
    copyStaleThenFresh(SOURCES.get(from), TARGETS.get(to), base(from), Dialect::of);
  }

  @ParameterizedTest(name = "H2 to {0}")
  @ValueSource(strings = {"h2", "postgresql", "mariadb"})
  void updateThenInsertFallbackWorksOnEveryDatabase(String to) throws SQLException {
    copyStaleThenFresh(SOURCES.get("h2"), TARGETS.get(to), base("h2"), connection -> Dialect.OTHER);
  }

  private static void copyStaleThenFresh(
      TestDatabase source, TestDatabase target, long base, SqlDialect dialect) throws SQLException {
    List<Row> rows = new ArrayList<>();
    inTransaction(
        source,
        connection -> {
          for (long id = base + 1; id <= base + 3; id++) {
            rows.add(RowSql.select(connection, "note", ID, noteKey(id)));
          }
          return null;
        });

    upsertAll(target, dialect, rows, row -> row.with("title", "stale").withText("amount", "1"));
    assertThat(notes(target, base)).hasSize(3).allMatch(line -> line.contains("|stale|"));

    upsertAll(target, dialect, rows, Function.identity());
    assertThat(notes(target, base)).hasSize(3).containsExactlyElementsOf(notes(source, base));

    int deleted =
        inTransaction(
            target,
            connection -> {
              int count = 0;
              for (Row row : rows) {
                count += RowSql.delete(connection, "note", ID, row.params(ID));
              }
              return count;
            });
    assertThat(deleted).isEqualTo(3);
    assertThat(notes(target, base)).isEmpty();
  }

  private static void upsertAll(
      TestDatabase target, SqlDialect dialect, List<Row> rows, Function<Row, Row> change)
      throws SQLException {
    inTransaction(
        target,
        connection -> {
          for (Row row : rows) {
            RowSql.upsert(connection, dialect.of(connection), "note", ID, change.apply(row));
          }
          return null;
        });
  }

  /** Picks the dialect to write with. */
  interface SqlDialect {
    Dialect of(java.sql.Connection connection) throws SQLException;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgresql", "mariadb"})
  void readsTypedValuesAndTypedNulls(String kind) throws SQLException {
    long base = base(kind);
    Row full = select(kind, base + 1);
    Row nulls = select(kind, base + 2);

    assertThat(full.columns())
        .containsExactly("id", "title", "body", "done", "amount", "created_at", "due_day", "data");
    assertThat(full.param("id")).isEqualTo(new Param(ParamType.LONG, base + 1));
    assertThat(full.param("done")).isEqualTo(new Param(ParamType.BOOLEAN, true));
    assertThat(nulls.param("done")).isEqualTo(new Param(ParamType.BOOLEAN, false));
    assertThat(full.param("amount"))
        .isEqualTo(new Param(ParamType.DECIMAL, new BigDecimal("1234.56")));
    assertThat(full.param("created_at"))
        .isEqualTo(
            new Param(ParamType.TIMESTAMP, LocalDateTime.of(2026, 1, 2, 3, 4, 5, 678_000_000)));
    assertThat(full.param("data").value()).isEqualTo(new byte[] {0, 1, (byte) 0xfe, (byte) 0xff});
    assertThat(nulls.param("body")).isEqualTo(Param.nullOf("VARCHAR"));
    assertThat(nulls.param("created_at")).isEqualTo(Param.nullOf("TIMESTAMP"));
    assertThat(nulls.param("due_day")).isEqualTo(Param.nullOf("DATE"));
    assertThat(nulls.param("data").isNull()).isTrue();
    assertThat(nulls.withText("data", "AAE=").get("data")).isEqualTo(new byte[] {0, 1});
    assertThat(select(kind, base + 9)).as("an absent key").isNull();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgresql", "mariadb"})
  void upsertsARowWhoseEveryColumnIsAKey(String kind) throws SQLException {
    TestDatabase db = TARGETS.get(kind);
    List<String> key = List.of("note_id", "tag");
    Map<String, Param> values = new LinkedHashMap<>();
    values.put("note_id", new Param(ParamType.LONG, 5L));
    values.put("tag", new Param(ParamType.STRING, "urgent"));
    Row urgent = new Row(values);
    Row later = urgent.with("tag", "later");

    inTransaction(
        db,
        connection -> {
          for (Dialect dialect : List.of(Dialect.of(connection), Dialect.OTHER)) {
            RowSql.upsert(connection, dialect, "note_tag", key, urgent);
            RowSql.upsert(connection, dialect, "note_tag", key, later);
            RowSql.upsert(connection, dialect, "note_tag", key, urgent);
          }
          return null;
        });

    assertThat(
            NotesSchema.count(db.dataSource(), "SELECT COUNT(*) FROM note_tag WHERE note_id = 5"))
        .isEqualTo(2);
    Row stored =
        inTransaction(
            db, connection -> RowSql.select(connection, "note_tag", key, later.params(key)));
    assertThat(stored).isEqualTo(later);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgresql", "mariadb"})
  void insertsRowsOfOtherColumnsOrAnotherOrderInBatchesOfTheirOwn(String kind) throws SQLException {
    TestDatabase db = TARGETS.get(kind);
    long at = 100 + 10L * KINDS.indexOf(kind);
    Row full = select(kind, base(kind) + 1);
    Row first = full.with("id", at + 1);
    Map<String, Param> reordered = new LinkedHashMap<>();
    reordered.put("title", new Param(ParamType.STRING, "title first"));
    reordered.put("done", new Param(ParamType.BOOLEAN, true));
    reordered.put("amount", new Param(ParamType.DECIMAL, BigDecimal.ONE));
    reordered.put("id", new Param(ParamType.LONG, at + 2));
    Row second = new Row(reordered);
    Row third = full.with("id", at + 3).with("title", "third");
    Map<String, Param> fewer = new LinkedHashMap<>();
    fewer.put("id", new Param(ParamType.LONG, at + 4));
    fewer.put("title", new Param(ParamType.STRING, "id first"));
    fewer.put("done", new Param(ParamType.BOOLEAN, false));
    fewer.put("amount", new Param(ParamType.DECIMAL, BigDecimal.TEN));
    Row fourth = new Row(fewer);

    inTransaction(
        db,
        connection -> {
          RowSql.insertAll(connection, "note", List.of(first, second, third, fourth));
          return null;
        });

    Map<Long, Row> stored = new HashMap<>();
    inTransaction(
        db,
        connection -> {
          for (long id = at + 1; id <= at + 4; id++) {
            stored.put(id, RowSql.select(connection, "note", ID, noteKey(id)));
          }
          return null;
        });
    assertThat(stored.get(at + 1)).isEqualTo(first);
    assertThat(stored.get(at + 3)).isEqualTo(third);
    assertThat(stored.get(at + 2).get("title")).isEqualTo("title first");
    assertThat(stored.get(at + 2).param("body").isNull()).isTrue();
    assertThat(stored.get(at + 4).get("title")).isEqualTo("id first");
    db.execute("DELETE FROM note WHERE id > " + at + " AND id <= " + (at + 4));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgresql", "mariadb"})
  void selectsTheKeysOfTheRowsAConditionMatches(String kind) throws SQLException {
    TestDatabase db = SOURCES.get(kind);
    long base = base(kind);
    List<Param> notDone = List.of(new Param(ParamType.BOOLEAN, false));

    List<List<Param>> open =
        inTransaction(
            db, connection -> RowSql.selectKeys(connection, "note", ID, "done = ?", notDone));
    List<List<Param>> all =
        inTransaction(db, connection -> RowSql.selectKeys(connection, "note", ID, null, List.of()));

    assertThat(open).containsExactlyInAnyOrder(noteKey(base + 2), noteKey(base + 3));
    assertThat(all)
        .containsExactlyInAnyOrder(noteKey(base + 1), noteKey(base + 2), noteKey(base + 3));
    assertThatThrownBy(
            () ->
                inTransaction(
                    db, connection -> RowSql.select(connection, "note", List.of("done"), notDone)))
        .isInstanceOf(SQLException.class)
        .hasMessage("key [done] is not unique in note: more than one row has [BOOLEAN:false]");
  }

  private static Row select(String kind, long id) throws SQLException {
    return inTransaction(
        SOURCES.get(kind), connection -> RowSql.select(connection, "note", ID, noteKey(id)));
  }

  private static long base(String kind) {
    return 10L * (KINDS.indexOf(kind) + 1);
  }
}
