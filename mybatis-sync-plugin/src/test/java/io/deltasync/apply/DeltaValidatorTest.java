package io.deltasync.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.delta.Delta;
import io.deltasync.delta.Kind;
import io.deltasync.delta.NameFilter;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the validator lets run on a node that replicates only the {@code note} table. */
class DeltaValidatorTest {

  private final DeltaValidator validator = new DeltaValidator(NameFilter.of("note", null));

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      textBlock =
          """
          INSERT | 2 | INSERT INTO note (id, title) VALUES (?, ?)
          INSERT | 2 | INSERT INTO NOTE (ID, TITLE) VALUES (?, ?)
          INSERT | 2 | INSERT INTO "PUBLIC"."note" (id, title) VALUES (?, ?)
          INSERT | 2 | INSERT INTO PUBLIC.NOTE (id, title) VALUES (?, ?)
          INSERT | 2 | INSERT INTO `app`.`note` (id, title) VALUES (?, ?)
          INSERT | 4 | INSERT INTO note (id, title) VALUES (?, ?), (?, ?)
          INSERT | 1 | INSERT INTO note (id, title) SELECT id + 1000, title FROM note WHERE id = ?
          UPDATE | 1 | UPDATE note SET title = 'why?' WHERE id = ?
          UPDATE | 1 | UPDATE note SET title = 'it''s ? or ??' WHERE id = ?
          UPDATE | 2 | UPDATE note SET done = ? WHERE id IN (SELECT id FROM note WHERE title LIKE ?)
          UPDATE | 1 | UPDATE note SET title = (SELECT MAX(title) FROM note) WHERE id = ?
          DELETE | 1 | DELETE FROM note WHERE id = ?
          DELETE | 1 | DELETE FROM note WHERE id = ?;
          DELETE | 1 | DELETE FROM note WHERE id = ? -- why? ; DROP TABLE note
          DELETE | 1 | DELETE FROM note WHERE id = ? /* really? */
          UPDATE | 3 | UPDATE note SET title = LOWER(TRIM(?)), amount = COALESCE(?, 0) WHERE id = ?
          UPDATE | 1 | UPDATE note SET created_at = NOW() WHERE id = ?
          """)
  void acceptsOneDmlStatementOnReplicatedTables(Kind kind, int params, String sql) {
    assertThat(validator.problemWith(delta(kind, sql, params))).isEmpty();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      textBlock =
          """
          DELETE | 0 | DROP TABLE note | only INSERT, UPDATE and DELETE are applied, but its SQL is a Drop statement
          DELETE | 0 | TRUNCATE TABLE note | only INSERT, UPDATE and DELETE are applied, but its SQL is a Truncate statement
          UPDATE | 0 | ALTER TABLE note ADD COLUMN x INT | only INSERT, UPDATE and DELETE are applied, but its SQL is an Alter statement
          UPDATE | 1 | SELECT * FROM note WHERE id = ? | only INSERT, UPDATE and DELETE are applied, but its SQL is a PlainSelect statement
          UPDATE | 0 | CALL purge_notes() | only INSERT, UPDATE and DELETE are applied, but its SQL is an Execute statement
          UPDATE | 0 | SET @x = 1 | only INSERT, UPDATE and DELETE are applied, but its SQL is a SetStatement statement
          DELETE | 1 | DELETE FROM note WHERE id = ?; DROP TABLE note | expected exactly one statement, but its SQL holds 2
          UPDATE | 2 | UPDATE note SET title = ? WHERE id = ?; UPDATE note SET done = TRUE | expected exactly one statement, but its SQL holds 2
          UPDATE | 1 | DELETE FROM note WHERE id = ? | it claims to be an UPDATE but its SQL is a DELETE
          DELETE | 2 | INSERT INTO note (id, title) VALUES (?, ?) | it claims to be a DELETE but its SQL is an INSERT
          INSERT | 2 | INSERT INTO audit_log (id, message) VALUES (?, ?) | table audit_log is not replicated by this node
          INSERT | 2 | INSERT INTO "PUBLIC"."AUDIT_LOG" (id, message) VALUES (?, ?) | table audit_log is not replicated by this node
          DELETE | 0 | DELETE FROM ds_node_pointer | table ds_node_pointer is not replicated by this node
          INSERT | 1 | INSERT INTO note (id, title) SELECT id, message FROM audit_log WHERE id = ? | table audit_log is not replicated by this node
          INSERT | 0 | INSERT INTO note (id, title) (SELECT id, message FROM audit_log) | table audit_log is not replicated by this node
          INSERT | 1 | INSERT INTO note (id, title) VALUES (?, (SELECT message FROM audit_log WHERE id = 1)) | table audit_log is not replicated by this node
          UPDATE | 2 | UPDATE note SET title = (SELECT message FROM audit_log WHERE id = ?) WHERE id = ? | table audit_log is not replicated by this node
          UPDATE | 1 | UPDATE note n SET title = ? FROM audit_log a WHERE a.id = n.id | table audit_log is not replicated by this node
          DELETE | 0 | DELETE FROM note WHERE id IN (SELECT id FROM audit_log) | table audit_log is not replicated by this node
          DELETE | 0 | DELETE FROM note WHERE id = (SELECT MAX(last_pushed) FROM ds_node_pointer) | table ds_node_pointer is not replicated by this node
          DELETE | 2 | DELETE FROM note WHERE id = ? | its SQL has 1 placeholders but the delta carries 2 parameters
          UPDATE | 2 | UPDATE note SET title = 'why?' WHERE id = ? | its SQL has 1 placeholders but the delta carries 2 parameters
          INSERT | 1 | INSERT INTO note (id, title) VALUES (?, ?) | its SQL has 2 placeholders but the delta carries 1 parameters
          DELETE | 2 | DELETE FROM note WHERE id = ? -- AND title = ? | its SQL has 1 placeholders but the delta carries 2 parameters
          UPDATE | 1 | UPDATE note SET title = CSVWRITE('/tmp/notes.csv', 'SELECT * FROM note') WHERE id = ? | function csvwrite is not allowed in replicated SQL
          UPDATE | 1 | UPDATE note SET title = (SELECT pg_read_file('/etc/passwd')) WHERE id = ? | function pg_read_file is not allowed in replicated SQL
          UPDATE | 1 | UPDATE note SET title = pg_catalog.pg_read_file('/etc/passwd') WHERE id = ? | function pg_catalog.pg_read_file is not allowed in replicated SQL
          INSERT | 1 | INSERT INTO note (id, title) VALUES (?, LOAD_FILE('/etc/passwd')) | function load_file is not allowed in replicated SQL
          DELETE | 1 | DELETE FROM note WHERE id = ? AND LENGTH(sys_exec('rm -rf /')) > 0 | function sys_exec is not allowed in replicated SQL
          """)
  void refusesWithAReasonNamingTheProblem(Kind kind, int params, String sql, String reason) {
    assertThat(validator.problemWith(delta(kind, sql, params))).contains(reason);
  }

  @Test
  void allowsTheFunctionsANodeAllows() {
    DeltaValidator withJson =
        new DeltaValidator(NameFilter.of("note", null), java.util.Set.of("json_extract", "lower"));
    Delta delta =
        delta(Kind.UPDATE, "UPDATE note SET title = LOWER(JSON_EXTRACT(?, '$.t')) WHERE id = ?", 2);

    assertThat(withJson.problemWith(delta)).isEmpty();
    assertThat(validator.problemWith(delta))
        .contains("function json_extract is not allowed in replicated SQL");
  }

  @Test
  void refusesDeltaSyncTablesEvenWhenEveryTableIsReplicated() {
    DeltaValidator everything = new DeltaValidator(NameFilter.ALL);

    assertThat(everything.problemWith(delta(Kind.DELETE, "DELETE FROM ds_node_pointer", 0)))
        .contains("table ds_node_pointer is not replicated by this node");
    assertThat(
            everything.problemWith(
                delta(Kind.INSERT, "INSERT INTO \"DS_DELTA\" (seq, origin) VALUES (?, ?)", 2)))
        .contains("table ds_delta is not replicated by this node");
    assertThat(
            everything.problemWith(
                delta(Kind.UPDATE, "UPDATE PUBLIC.DS_DEAD_LETTER SET status = ?", 1)))
        .contains("table ds_dead_letter is not replicated by this node");
    assertThat(
            everything.problemWith(delta(Kind.INSERT, "INSERT INTO audit_log (id) VALUES (?)", 1)))
        .isEmpty();
  }

  @Test
  void refusesSqlItCannotParse() {
    Delta merge =
        delta(Kind.INSERT, "MERGE INTO note KEY (id) VALUES (?, ?, NULL, FALSE, 0, NULL)", 2);

    assertThat(validator.problemWith(merge))
        .hasValueSatisfying(
            reason ->
                assertThat(reason)
                    .startsWith("its SQL cannot be parsed, so it cannot be checked: "));
  }

  @Test
  void refusesExecutableCommentsThatTheParserSkipsButMariaDbRuns() {
    String reason =
        "it holds a MySQL/MariaDB executable comment (/*! ... */), which the database runs"
            + " but this check cannot see";

    assertThat(
            validator.problemWith(
                delta(
                    Kind.UPDATE,
                    "UPDATE note /*!, ds_node_pointer */ SET title = ? WHERE id = ?",
                    2)))
        .contains(reason);
    assertThat(
            validator.problemWith(
                delta(Kind.DELETE, "DELETE FROM note WHERE id = ? /*M! OR 1 = 1 */", 1)))
        .contains(reason);
    // erring on the safe side: the check does not tell a literal from code
    assertThat(
            validator.problemWith(
                delta(Kind.UPDATE, "UPDATE note SET title = '/*! text */' WHERE id = ?", 1)))
        .contains(reason);
  }

  private static Delta delta(Kind kind, String sql, int paramCount) {
    List<Param> params = new ArrayList<>();
    for (int i = 0; i < paramCount; i++) {
      params.add(new Param(ParamType.LONG, (long) i));
    }
    return new Delta(
        "0190f5a2-3b4c-7d5e-8f60-718293a4b5c6",
        "node-a",
        1,
        "0190f5a2-3b4c-7d5e-9f60-718293a4b5c7",
        1L << 16,
        0,
        "test.Mapper.statement",
        kind,
        "note",
        null,
        sql,
        params);
  }
}
