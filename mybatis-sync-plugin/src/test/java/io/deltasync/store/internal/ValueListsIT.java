package io.deltasync.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lists of values in queries, on each database's path: an array on PostgreSQL, {@code IN} lists in
 * chunks on H2 and MariaDB. Each finds exactly the listed rows, longer lists than a chunk included,
 * with parameters before the list and the list named twice; on PostgreSQL lists of any length are
 * sent as one statement text.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ValueListsIT {

  private static final int ROWS = 2_000;

  private final List<TestDatabase> databases = new ArrayList<>();

  @BeforeAll
  void createTables() {
    databases.add(TestDatabases.h2("value-lists"));
    databases.add(TestDatabases.postgres("value-lists"));
    databases.add(TestDatabases.mariadb("value-lists"));
    for (TestDatabase db : databases) {
      db.execute(
          "CREATE TABLE item (id BIGINT PRIMARY KEY, code VARCHAR(40) NOT NULL, shelf VARCHAR(10))",
          "CREATE UNIQUE INDEX ix_item_code ON item (code)");
      StringBuilder insert = new StringBuilder("INSERT INTO item (id, code, shelf) VALUES ");
      for (int id = 1; id <= ROWS; id++) {
        insert
            .append(id == 1 ? "" : ", ")
            .append('(')
            .append(id)
            .append(", 'code-")
            .append(id)
            .append("', '")
            .append(id % 2 == 0 ? "even" : "odd")
            .append("')");
      }
      db.execute(insert.toString());
    }
  }

  @AfterAll
  void close() {
    databases.forEach(TestDatabase::close);
  }

  private TestDatabase db(String kind) {
    return databases.stream().filter(db -> db.kind().equals(kind)).findFirst().orElseThrow();
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql", "mariadb"})
  void findsEveryListedRowOfAListLongerThanAChunk(String kind) throws SQLException {
    List<Long> ids = LongStream.rangeClosed(1, 450).map(i -> i * 4).boxed().toList();
    List<Long> wanted = new ArrayList<>(ids);
    wanted.add(ROWS + 10L); // not in the table
    List<Long> found = new ArrayList<>();

    try (Connection connection = db(kind).dataSource().getConnection()) {
      ValueLists.select(
          connection,
          "SELECT id FROM item WHERE id " + ValueLists.LIST,
          wanted,
          null,
          row -> found.add(row.getLong(1)));
    }

    assertThat(wanted.size()).isGreaterThan(2 * ValueLists.CHUNK);
    assertThat(found).containsExactlyInAnyOrderElementsOf(ids);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql", "mariadb"})
  void bindsParametersBeforeTheListAndAListNamedTwice(String kind) throws SQLException {
    List<String> codes = new ArrayList<>();
    for (int id = 1; id <= 300; id++) {
      codes.add("code-" + id);
    }
    List<String> found = new ArrayList<>();

    try (Connection connection = db(kind).dataSource().getConnection()) {
      ValueLists.select(
          connection,
          "SELECT code FROM item WHERE shelf = ? AND code "
              + ValueLists.LIST
              + " UNION ALL SELECT code FROM item WHERE id < 3 AND code "
              + ValueLists.LIST,
          codes,
          select -> {
            select.setString(1, "even");
            return 1;
          },
          row -> found.add(row.getString(1)));
    }

    List<String> expected = new ArrayList<>(List.of("code-1", "code-2"));
    for (int id = 2; id <= 300; id += 2) {
      expected.add("code-" + id);
    }
    assertThat(found).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void refusesAQueryWithoutAList() throws SQLException {
    try (Connection connection = db("h2").dataSource().getConnection()) {
      assertThatThrownBy(
              () ->
                  ValueLists.select(
                      connection, "SELECT id FROM item WHERE id IN", List.of(1L), null, row -> {}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("no IN (...) in SELECT id FROM item WHERE id IN");
    }
  }

  @Test
  void sendsOneStatementTextForListsOfAnyLengthOnPostgres() throws SQLException {
    try (Connection connection = db("postgresql").dataSource().getConnection()) {
      List<String> texts = new ArrayList<>();
      for (int length : new int[] {1, 7, 450}) {
        List<String> codes = new ArrayList<>();
        for (int id = 1; id <= length; id++) {
          codes.add("code-" + id);
        }
        ValueLists.select(
            connection,
            "SELECT query FROM pg_stat_activity WHERE pid = pg_backend_pid() AND 'code-1' "
                + ValueLists.LIST,
            codes,
            null,
            row -> texts.add(row.getString(1)));
      }
      assertThat(texts).hasSize(3).containsOnly(texts.get(0));
      assertThat(texts.get(0)).endsWith("'code-1' = ANY ($1)");
    }
  }
}
