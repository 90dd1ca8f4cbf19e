package io.deltasync.conflict.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.conflict.Row;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The SQL DeltaSync writes itself names a table and its columns as the database's catalog spells
 * them, whatever case the application used: deltas name them in lower case.
 */
class NamesIT {

  @Test
  void postgresQuotedMixedCaseNames() throws SQLException {
    assertUpsertSelectDelete(
        TestDatabases.postgres("names_pg"),
        "CREATE TABLE \"Item\" (\"Id\" BIGINT PRIMARY KEY, \"Qty\" INT NOT NULL)",
        Dialect.POSTGRESQL);
  }

  @Test
  void mariadbUpperCaseNamesWithCaseSensitiveTables() throws SQLException {
    assertUpsertSelectDelete(
        TestDatabases.mariadb("names_maria"),
        "CREATE TABLE ITEM (ID BIGINT PRIMARY KEY, QTY INT NOT NULL)",
        Dialect.MARIADB);
  }

  @Test
  void h2QuotedLowerCaseNames() throws SQLException {
    assertUpsertSelectDelete(
        TestDatabases.h2("names_h2"),
        "CREATE TABLE \"item\" (\"id\" BIGINT PRIMARY KEY, \"qty\" INT NOT NULL)",
        Dialect.H2);
  }

  private static void assertUpsertSelectDelete(TestDatabase db, String create, Dialect dialect)
      throws SQLException {
    db.execute(create);
    List<String> key = List.of("id");
    List<Param> id = List.of(new Param(ParamType.LONG, 7L));
    try (Connection connection = db.dataSource().getConnection()) {
      RowSql.upsert(connection, dialect, "item", key, row(7, 5));
      RowSql.upsert(connection, dialect, "item", key, row(7, 6));

      Row read = RowSql.select(connection, "item", key, id);
      assertThat(read.values().get("qty").value()).isEqualTo(6);
      assertThat(RowSql.selectKeys(connection, "item", key, null, List.of())).hasSize(1);
      assertThat(RowSql.delete(connection, "item", key, id)).isEqualTo(1);
      assertThat(RowSql.select(connection, "item", key, id)).isNull();
    }
  }

  private static Row row(long id, int qty) {
    Map<String, Param> values = new LinkedHashMap<>();
    values.put("id", new Param(ParamType.LONG, id));
    values.put("qty", new Param(ParamType.INT, qty));
    return new Row(values);
  }
}
