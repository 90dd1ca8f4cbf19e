package io.deltasync.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.delta.Delta;
import io.deltasync.delta.Kind;
import io.deltasync.delta.NameFilter;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.delta.internal.SqlShape;
import io.deltasync.delta.internal.SqlShapes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

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
          INSERT | 2 | INSERT INTO `note` (`id`, `title`) VALUES (?, ?)
          INSERT | 2 | INSERT INTO "NOTE" ("ID", "TITLE") VALUES (?, ?)
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
          UPDATE | 1 | UPDATE note SET title = 'costs $5 -- or {more}, été' WHERE id = ?
          UPDATE | 1 | UPDATE note SET "Size" = ? -- Größe /* really */
          UPDATE | 2 | UPDATE note SET title = CAST(? AS VARCHAR(20)) WHERE id = ?
          UPDATE | 2 | UPDATE note SET title = ?::varchar(20) WHERE id = ?
          UPDATE | 1 | UPDATE note SET amount = EXTRACT(YEAR FROM created_at) WHERE id = ?
          UPDATE | 1 | UPDATE note SET title = TRIM(BOTH 'x' FROM title) WHERE id = ?
          UPDATE | 1 | UPDATE note SET title = SUBSTRING(title FROM 2 FOR 3) WHERE id = ?
          UPDATE | 1 | UPDATE note SET amount = POSITION('x' IN title) WHERE id = ?
          UPDATE | 2 | UPDATE note SET title = ? WHERE title IS DISTINCT FROM ?
          UPDATE | 2 | UPDATE note SET title = ? WHERE title IS NOT DISTINCT FROM ?
          UPDATE | 2 | UPDATE note n SET title = ? FROM note m, note o WHERE n.id = m.id AND m.id = ?
          INSERT | 3 | INSERT INTO note (id, title) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET title = ?
          INSERT | 2 | INSERT INTO note (id, title) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title
          INSERT | 3 | ~INSERT INTO note AS n (id, title) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET title = n.title || ?~
          INSERT | 3 | INSERT INTO note (id, title) VALUES (?, ?) ON DUPLICATE KEY UPDATE title = ?
          INSERT | 2 | INSERT note (id, title) VALUES (?, ?)
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
          INSERT | 2 | INSERT INTO "PUBLIC"."AUDIT_LOG" (id, message) VALUES (?, ?) | table public.audit_log is not replicated by this node
          INSERT | 2 | INSERT INTO "PUBLIC"."note" (id, title) VALUES (?, ?) | table public.note is not replicated by this node
          INSERT | 2 | INSERT INTO PUBLIC.NOTE (id, title) VALUES (?, ?) | table public.note is not replicated by this node
          INSERT | 2 | INSERT INTO `app`.`note` (id, title) VALUES (?, ?) | table app.note is not replicated by this node
          UPDATE | 2 | UPDATE other.note SET title = ? WHERE id = ? | table other.note is not replicated by this node
          UPDATE | 2 | UPDATE note SET title = (SELECT title FROM other.note WHERE id = ?) WHERE id = ? | table other.note is not replicated by this node
          DELETE | 0 | DELETE FROM other.ds_delta | table other.ds_delta is not replicated by this node
          INSERT | 2 | INSERT audit_log (id, message) VALUES (?, ?) | table audit_log is not replicated by this node
          UPDATE | 1 | UPDATE note n SET title = ? FROM note m, audit_log a WHERE n.id = m.id AND a.id = m.id | table audit_log is not replicated by this node
          INSERT | 0 | INSERT INTO note (id, title) SELECT a.id, a.message FROM (note n JOIN audit_log a ON a.id = n.id) | table audit_log is not replicated by this node
          DELETE | 0 | DELETE note, audit_log FROM note JOIN audit_log ON note.id = audit_log.id | table audit_log is not replicated by this node
          UPDATE | 0 | UPDATE note, audit_log SET audit_log.message = 'x' | table audit_log is not replicated by this node
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
          UPDATE | 1 | UPDATE note SET title = "pg_read_file"('/etc/passwd') WHERE id = ? | function pg_read_file is not allowed in replicated SQL
          UPDATE | 1 | UPDATE note SET title = `load_file`('/etc/passwd') WHERE id = ? | function load_file is not allowed in replicated SQL
          UPDATE | 1 | UPDATE note SET title = pg_catalog . pg_read_file ('/etc/passwd') WHERE id = ? | function pg_catalog.pg_read_file is not allowed in replicated SQL
          UPDATE | 2 | ~UPDATE note SET title = ?::text || pg_read_file('/etc/passwd') WHERE id = ?~ | function pg_read_file is not allowed in replicated SQL
          UPDATE | 2 | ~UPDATE note SET title = CAST(? AS text) || pg_read_file('/etc/passwd') WHERE id = ?~ | function pg_read_file is not allowed in replicated SQL
          UPDATE | 1 | UPDATE note SET title = XMLSERIALIZE(CONTENT 'x' AS text) WHERE id = ? | function xmlserialize is not allowed in replicated SQL
          UPDATE | 1 | UPDATE note SET title = @@datadir WHERE id = ? | it reads or sets a variable (@...), which is not replicated
          """)
  void refusesWithAReasonNamingTheProblem(Kind kind, int params, String sql, String reason) {
    assertThat(validator.problemWith(delta(kind, sql, params))).contains(reason);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          UPDATE note SET created_at = NOW() WHERE id = ?                   | now
          UPDATE note SET created_at = CURRENT_TIMESTAMP WHERE id = ?       | current_timestamp
          UPDATE note SET created_at = localtimestamp WHERE id = ?          | localtimestamp
          UPDATE note SET amount = random() WHERE id = ?                    | random
          UPDATE note SET amount = RAND() WHERE id = ?                      | rand
          UPDATE note SET title = uuid() WHERE id = ?                       | uuid
          UPDATE note SET title = CAST(gen_random_uuid() AS text) WHERE id = ? | gen_random_uuid
          UPDATE note SET amount = nextval('note_seq') WHERE id = ?         | nextval
          """)
  void refusesFunctionsReturningADifferentValueOnEachNodeUnlessAllowed(
      String sql, String function) {
    Delta delta = delta(Kind.UPDATE, sql, 1);
    java.util.Set<String> allowed = new java.util.HashSet<>(DeltaValidator.DEFAULT_FUNCTIONS);
    allowed.add(function);

    assertThat(validator.problemWith(delta))
        .hasValueSatisfying(
            problem ->
                assertThat(problem)
                    .startsWith("function " + function + " returns a different value on each node")
                    .contains("deltasync.node.allowed-functions"));
    assertThat(new DeltaValidator(NameFilter.of("note", null), allowed).problemWith(delta))
        .isEmpty();
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
        .contains("table public.ds_dead_letter is not replicated by this node");
    assertThat(everything.problemWith(delta(Kind.DELETE, "DELETE FROM `app`.`ds_lock`", 0)))
        .contains("table app.ds_lock is not replicated by this node");
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

  /** The lexical guard's refusals, each with the exploit (or the mismatch) it stops. */
  static Stream<Arguments> sqlThatDatabasesReadDifferently() {
    String backslash =
        "it contains a backslash, which databases read differently (escapes); pass such values as"
            + " parameters";
    String dashes =
        "it contains -- not followed by a space, tab or line break, which MariaDB does not read as"
            + " a comment";
    String dollar =
        "it contains $ outside a quoted literal, which PostgreSQL and H2 read as dollar quoting;"
            + " pass such values as parameters";
    return Stream.of(
        // PostgreSQL: E'\' is a whole literal, so pgjdbc runs the DROP the parser saw in a literal
        refused("UPDATE note SET title = E'\\' , body = ' ; DROP TABLE secret; -- '", backslash),
        // MariaDB: a backslash escapes the quote in '...' and "..." strings
        refused(
            "UPDATE note SET title = '\\' , body = ' , body = (SELECT s FROM secret) -- '\n"
                + "WHERE id = 'a'",
            backslash),
        refused(
            "UPDATE note SET title = \"\\\" , body = \" , body = (SELECT s FROM secret) -- \"\n"
                + "WHERE id = 'a'",
            backslash),
        // MariaDB: --1 is minus minus one, not a comment
        refused(
            "UPDATE note SET title = 1 --1, body = (SELECT s FROM secret)\nWHERE id = 'a'", dashes),
        refused("DELETE FROM note WHERE id = ? --", dashes),
        // PostgreSQL and H2: dollar quoting
        refused("UPDATE note SET title = $$x$$ WHERE id = ?", dollar),
        refused(
            "UPDATE note SET title = $a$ ' $a$ , body = (SELECT s FROM secret) -- ' \n"
                + "WHERE id = 'a'",
            dollar),
        refused("UPDATE note SET title = ? WHERE id = ? -- costs $5", dollar),
        // MariaDB: # starts a comment
        refused(
            "UPDATE note SET title = 'a' # ' \n, body = (SELECT s FROM secret) -- '",
            "it contains #, which MySQL and MariaDB read as the start of a comment; pass such"
                + " values as parameters"),
        // PostgreSQL and H2: block comments nest
        refused(
            "UPDATE note SET title = 'v' /* /* */ || 'x */ , body = (SELECT s FROM secret) -- '\n"
                + "WHERE id = 'a'",
            "it has /* inside a block comment, which PostgreSQL and H2 read as a nested comment"),
        // H2: // starts a comment
        refused(
            "UPDATE note SET title = ? // why\nWHERE id = ?",
            "it contains //, which H2 reads as the start of a comment"),
        // MariaDB: a -- comment ends at a line feed only; H2 and PostgreSQL end it at a CR too
        refused(
            "UPDATE note SET title = 1 -- x\r, body = 'a\n, body = (SELECT s FROM secret) -- '",
            "it contains a carriage return without a line feed, which databases read differently"
                + " (the end of a -- comment)"),
        // JDBC drivers rewrite escapes before the database sees them
        refused(
            "UPDATE note SET title = {fn user()} WHERE id = ?",
            "it contains { outside a quoted literal, which JDBC drivers rewrite (escape syntax)"
                + " before the database sees it"),
        // H2 reads a no-break space as whitespace, PostgreSQL and MariaDB as part of a name
        refused(
            "UPDATE note SET title = (SELECT s FROM\u00a0secret) WHERE id = ?",
            "it contains the character U+00A0 outside a quoted literal, name or comment, which"
                + " databases read differently (whitespace, or part of a name); quote such names"),
        refused(
            "UPDATE note SET title = ?\u000b WHERE id = ?",
            "it contains the control character U+000B, which databases read differently"),
        // PostgreSQL reads a backtick as an operator, and what it quotes as code
        refused(
            "UPDATE note SET title = `a' , body = (SELECT s FROM secret) , title = '` WHERE id = ?",
            "it has a name quoted with backticks that holds U+0027 ('), which PostgreSQL reads as"
                + " code (only ASCII letters, digits, _ and spaces are accepted there)"),
        // a dotless i folds to I under Unicode case rules: "tıcket" would pass for ticket
        refused(
            "UPDATE \"t\u0131cket\" SET title = ? WHERE id = ?",
            "it has a quoted name that holds U+0131, which databases may match to another name"
                + " (only ASCII letters, digits, _, $ and spaces are accepted in quoted names)"),
        refused(
            "UPDATE note SET \"Gr\u00f6\u00dfe\" = ? WHERE id = ?",
            "it has a quoted name that holds U+00F6, which databases may match to another name"
                + " (only ASCII letters, digits, _, $ and spaces are accepted in quoted names)"),
        refused(
            "UPDATE `t\u0131cket` SET title = ? WHERE id = ?",
            "it has a name quoted with backticks that holds U+0131, which PostgreSQL reads as"
                + " code (only ASCII letters, digits, _ and spaces are accepted there)"),
        refused(
            "UPDATE \"note\"\"x\" SET title = ? WHERE id = ?",
            "it has a quoted name that holds U+0022 (\"), which databases may match to another"
                + " name (only ASCII letters, digits, _, $ and spaces are accepted in quoted names)"),
        refused(
            "UPDATE note SET title = 'open WHERE id = ?",
            "it has an unterminated string literal (a ' without its closing ')"),
        refused(
            "UPDATE note SET \"title = ? WHERE id = ?",
            "it has an unterminated quoted name (a \" without its closing \")"),
        refused(
            "DELETE FROM note WHERE id = ? /* open",
            "it has an unterminated comment (/* without */)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sqlThatDatabasesReadDifferently")
  void refusesSqlThatDatabasesReadDifferentlyFromTheParser(String sql, String reason) {
    assertThat(validator.problemWith(delta(Kind.UPDATE, sql, placeholders(sql)))).contains(reason);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      textBlock =
          """
          INSERT | 1 | INSERT INTO note (id, title) SELECT ?, count(*) OVER (PARTITION BY CSVWRITE('/tmp/x.csv', 'SELECT * FROM secret')) FROM note | window functions (OVER) are not applied
          INSERT | 1 | INSERT INTO note (id, title) SELECT ?, count(*) OVER (PARTITION BY (SELECT s FROM secret)) FROM note | window functions (OVER) are not applied
          INSERT | 1 | INSERT INTO note (id, title) VALUES (?, CSVWRITE('/tmp/x.csv', 'SELECT 1') OVER ()) | window functions (OVER) are not applied
          INSERT | 1 | INSERT INTO note (id, title) SELECT ?, max(title) OVER w FROM note WINDOW w AS (PARTITION BY (SELECT s FROM secret)) | window functions (OVER) are not applied
          INSERT | 1 | INSERT INTO note (id, title) SELECT ?, 'x' FROM note WINDOW w AS (PARTITION BY (SELECT s FROM secret)) | window functions (OVER) are not applied
          INSERT | 1 | INSERT INTO note (id, title) SELECT ?, string_agg(title, ',') WITHIN GROUP (ORDER BY 1) FROM note | ordered-set aggregates (WITHIN GROUP) are not applied
          INSERT | 1 | INSERT INTO note (id, title) SELECT ?, max(title) FILTER (WHERE title IS NOT NULL) FROM note | aggregate filters (FILTER) are not applied
          INSERT | 1 | INSERT INTO note (id, title) VALUES (NEXT VALUE FOR seq1, ?) | sequence access is not applied
          INSERT | 1 | INSERT INTO note (id, title) VALUES (seq1.nextval, ?) | sequence access is not applied
          """)
  void refusesWindowFunctionsAndSequenceAccess(Kind kind, int params, String sql, String reason) {
    assertThat(validator.problemWith(delta(kind, sql, params))).contains(reason);
  }

  @Test
  void findsTablesAndFunctionsInClausesTheParserDoesNotWalk() {
    SqlShape shape =
        SqlShapes.parse(
            "INSERT INTO note (id, title) SELECT ?, count(*) OVER (PARTITION BY"
                + " CSVWRITE('/tmp/x.csv', 'SELECT 1'), (SELECT s FROM secret)) FROM note");

    assertThat(shape.functions()).contains("csvwrite", "count");
    assertThat(shape.tables()).containsExactlyInAnyOrder("note", "secret");
    assertThat(shape.problems()).containsExactly("window functions (OVER) are not applied");
  }

  /** One row per keyword that may stand before "(" without calling a function. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      textBlock =
          """
          ALL       | 2 | UPDATE note SET done = ? WHERE amount > ALL (SELECT amount FROM note WHERE id = ?)
          AND       | 3 | UPDATE note SET done = ? WHERE id = ? AND (done = ?)
          ANY       | 2 | UPDATE note SET done = ? WHERE id = ANY (SELECT id FROM note WHERE done = ?)
          BY        | 0 | INSERT INTO note (id, title) SELECT id + 1000, title FROM note ORDER BY (id)
          CASE      | 3 | UPDATE note SET title = CASE (done) WHEN TRUE THEN ? ELSE ? END WHERE id = ?
          CAST      | 2 | UPDATE note SET title = CAST(? AS VARCHAR(20)) WHERE id = ?
          CONFLICT  | 2 | INSERT INTO note (id, title) VALUES (?, ?) ON CONFLICT (id) DO NOTHING
          ELSE      | 3 | UPDATE note SET title = CASE WHEN done THEN ? ELSE (?) END WHERE id = ?
          EXISTS    | 2 | UPDATE note SET done = ? WHERE EXISTS (SELECT 1 FROM note WHERE id = ?)
          EXTRACT   | 1 | UPDATE note SET amount = EXTRACT(YEAR FROM created_at) WHERE id = ?
          FROM      | 0 | INSERT INTO note (id, title) SELECT id + 1000, title FROM (SELECT id, title FROM note) t
          IN        | 3 | UPDATE note SET done = ? WHERE id IN (?, ?)
          JOIN      | 0 | INSERT INTO note (id, title) SELECT n.id + 1000, n.title FROM note n JOIN (SELECT id FROM note) m ON m.id = n.id
          NOT       | 2 | UPDATE note SET done = ? WHERE NOT (done) AND id = ?
          ON        | 0 | INSERT INTO note (id, title) SELECT n.id + 1000, n.title FROM note n JOIN note m ON (m.id = n.id)
          OR        | 3 | UPDATE note SET done = ? WHERE id = ? OR (id = ?)
          RETURNING | 2 | INSERT INTO note (id, title) VALUES (?, ?) RETURNING (id)
          ROW       | 3 | UPDATE note SET done = ? WHERE (id, title) = ROW(?, ?)
          SELECT    | 2 | UPDATE note SET title = (SELECT (title) FROM note WHERE id = ?) WHERE id = ?
          SET       | 3 | UPDATE note SET (title, body) = (?, ?) WHERE id = ?
          SOME      | 2 | UPDATE note SET done = ? WHERE id = SOME (SELECT id FROM note WHERE done = ?)
          THEN      | 3 | UPDATE note SET title = CASE WHEN done THEN (?) ELSE ? END WHERE id = ?
          USING     | 0 | INSERT INTO note (id, title) SELECT n.id + 1000, n.title FROM note n JOIN note m USING (id)
          VALUES    | 2 | INSERT INTO note (id, title) VALUES (?, ?)
          WHEN      | 3 | UPDATE note SET title = CASE WHEN (done) THEN ? ELSE ? END WHERE id = ?
          WHERE     | 2 | UPDATE note SET done = ? WHERE (id = ?)
          """)
  void acceptsKeywordsFollowedByParenthesesAsNoFunctionCall(
      String keyword, int params, String sql) {
    assertThat(sql.replace(" (", "(")).contains(keyword + "(");
    assertThat(
            validator.problemWith(
                delta(Kind.valueOf(sql.substring(0, sql.indexOf(' '))), sql, params)))
        .isEmpty();
  }

  @Test
  void refusesKeywordLikeFunctionsWhenQuotedOrQualified() {
    assertThat(
            validator.problemWith(
                delta(Kind.UPDATE, "UPDATE note SET title = \"exists\"(?) WHERE id = ?", 2)))
        .contains("function exists is not allowed in replicated SQL");
    assertThat(
            validator.problemWith(
                delta(Kind.UPDATE, "UPDATE note SET title = app.values(?) WHERE id = ?", 2)))
        .contains("function app.values is not allowed in replicated SQL");
    // H2's SET(@variable, value) outside the SET clause
    assertThat(
            validator.problemWith(
                delta(Kind.UPDATE, "UPDATE note SET title = SET(x, ?) WHERE id = ?", 2)))
        .contains("function set is not allowed in replicated SQL");
  }

  @Test
  void acceptsSchemaQualifiedTablesTheFilterSelectsByTheirQualifiedName() {
    Delta publicNote = delta(Kind.INSERT, "INSERT INTO \"PUBLIC\".\"note\" (id) VALUES (?)", 1);
    Delta appNote = delta(Kind.UPDATE, "UPDATE `app`.`note` SET title = ? WHERE id = ?", 2);
    Delta otherNote = delta(Kind.DELETE, "DELETE FROM other.note WHERE id = ?", 1);

    DeltaValidator anySchema = new DeltaValidator(NameFilter.of("note, *.note", null));
    assertThat(anySchema.problemWith(publicNote)).isEmpty();
    assertThat(anySchema.problemWith(appNote)).isEmpty();
    assertThat(anySchema.problemWith(otherNote)).isEmpty();

    DeltaValidator twoSchemas = new DeltaValidator(NameFilter.of("public.note, app.note", null));
    assertThat(twoSchemas.problemWith(publicNote)).isEmpty();
    assertThat(twoSchemas.problemWith(appNote)).isEmpty();
    assertThat(twoSchemas.problemWith(otherNote))
        .contains("table other.note is not replicated by this node");
    assertThat(twoSchemas.problemWith(delta(Kind.DELETE, "DELETE FROM note WHERE id = ?", 1)))
        .contains("table note is not replicated by this node");
  }

  @Test
  void refusesQualifiedTablesWhoseOwnNameIsExcluded() {
    DeltaValidator allButAudit = new DeltaValidator(NameFilter.of(null, "audit_*"));

    assertThat(
            allButAudit.problemWith(
                delta(Kind.INSERT, "INSERT INTO app.audit_log (id) VALUES (?)", 1)))
        .contains("table app.audit_log is not replicated by this node");
    assertThat(
            allButAudit.problemWith(
                delta(Kind.INSERT, "INSERT INTO \"PUBLIC\".\"AUDIT_LOG\" (id) VALUES (?)", 1)))
        .contains("table public.audit_log is not replicated by this node");
    assertThat(
            allButAudit.problemWith(delta(Kind.INSERT, "INSERT INTO app.note (id) VALUES (?)", 1)))
        .isEmpty();
  }

  private static Arguments refused(String sql, String reason) {
    return Arguments.of(sql, reason);
  }

  private static int placeholders(String sql) {
    return (int) sql.chars().filter(c -> c == '?').count();
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
        null,
        null,
        sql,
        params);
  }
}
