package io.deltasync.conflict.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.Test;

class DialectTest {

  private static final List<String> COLUMNS = List.of("ID", "title", "done");
  private static final List<String> KEY = List.of("id");

  @Test
  void h2MergesByKey() {
    assertThat(Dialect.H2.upsertSql("Note", COLUMNS, KEY))
        .isEqualTo("MERGE INTO note (id, title, done) KEY (id) VALUES (?, ?, ?)");
  }

  @Test
  void postgresqlUpdatesTheOtherColumnsOnConflict() {
    assertThat(Dialect.POSTGRESQL.upsertSql("app.note", COLUMNS, KEY))
        .isEqualTo(
            "INSERT INTO app.note (id, title, done) VALUES (?, ?, ?)"
                + " ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, done = EXCLUDED.done");
  }

  @Test
  void mariadbUpdatesTheOtherColumnsOnDuplicateKey() {
    assertThat(Dialect.MARIADB.upsertSql("note", COLUMNS, KEY))
        .isEqualTo(
            "INSERT INTO note (id, title, done) VALUES (?, ?, ?)"
                + " ON DUPLICATE KEY UPDATE title = VALUES(title), done = VALUES(done)");
  }

  @Test
  void anAllKeyRowIsLeftAloneWhenPresent() {
    List<String> both = List.of("note_id", "tag");

    assertThat(Dialect.H2.upsertSql("note_tag", both, both))
        .isEqualTo("MERGE INTO note_tag (note_id, tag) KEY (note_id, tag) VALUES (?, ?)");
    assertThat(Dialect.POSTGRESQL.upsertSql("note_tag", both, both))
        .isEqualTo(
            "INSERT INTO note_tag (note_id, tag) VALUES (?, ?) ON CONFLICT (note_id, tag) DO NOTHING");
    assertThat(Dialect.MARIADB.upsertSql("note_tag", both, both))
        .isEqualTo(
            "INSERT INTO note_tag (note_id, tag) VALUES (?, ?)"
                + " ON DUPLICATE KEY UPDATE note_id = note_id");
  }

  @Test
  void otherDatabasesHaveNoUpsert() {
    assertThat(Dialect.OTHER.upsertSql("note", COLUMNS, KEY)).isNull();
  }

  @Test
  void rejectsNamesThatAreNotPlainIdentifiers() {
    assertThatThrownBy(() -> Dialect.H2.upsertSql("note; DROP TABLE x", COLUMNS, KEY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "table must be a plain name such as note or app.note, but was 'note; DROP TABLE x'");
    assertThatThrownBy(() -> Dialect.H2.upsertSql("a.b.c", COLUMNS, KEY))
        .hasMessageContaining("'a.b.c'");
    assertThatThrownBy(() -> Dialect.OTHER.upsertSql("note", List.of("id", "\"Title\""), KEY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("column must be a plain name such as amount or due_day, but was '\"Title\"'");
    assertThatThrownBy(() -> Dialect.OTHER.upsertSql("note", List.of("id", "1st"), KEY))
        .hasMessageContaining("'1st'");
  }

  @Test
  void rejectsKeysOutsideTheColumnsAndRepeatedColumns() {
    assertThatThrownBy(() -> Dialect.H2.upsertSql("note", List.of("title"), KEY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key column id must be one of the columns [title], but is not");
    assertThatThrownBy(() -> Dialect.H2.upsertSql("note", List.of("id", "ID"), KEY))
        .hasMessage("columns must not repeat a column, but was [id, id]");
    assertThatThrownBy(() -> Dialect.H2.upsertSql("note", COLUMNS, List.of()))
        .hasMessage("keyColumns must name at least one column, but was empty");
  }

  @Test
  void knowsH2ByItsProductName() throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:dialect", "sa", "")) {
      assertThat(Dialect.of(connection)).isEqualTo(Dialect.H2);
    }
  }
}
