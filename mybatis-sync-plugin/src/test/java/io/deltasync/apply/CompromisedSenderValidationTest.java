package io.deltasync.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.delta.Delta;
import io.deltasync.delta.Kind;
import io.deltasync.delta.NameFilter;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.delta.internal.SqlShapes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What an authenticated but hostile sender may put in a delta that the validator alone refuses:
 * declared fields that disagree with the SQL, row images that are not the hub's plain form,
 * functions that read the session, expressions whose cost has no bound, and input too large in
 * shape to parse safely.
 */
class CompromisedSenderValidationTest {

  private final DeltaValidator notesOnly = new DeltaValidator(NameFilter.of("note,ticket", null));

  @Test
  void refusesADeclaredTableOtherThanTheOneItsSqlWrites() {
    assertThat(
            notesOnly.problemWith(
                delta(
                    Kind.UPDATE,
                    "secret",
                    "test.M.u",
                    "UPDATE note SET title = ? WHERE id = ?",
                    2)))
        .contains("its declared table secret is not the table its SQL writes, note");
  }

  @Test
  void acceptsAnUndeclaredTableWhichTheReceiverDerives() {
    assertThat(
            notesOnly.problemWith(
                delta(Kind.UPDATE, null, "test.M.u", "UPDATE note SET title = ? WHERE id = ?", 2)))
        .isEmpty();
  }

  @Test
  void refusesARowImageWhoseSqlNamesTwoTables() {
    String sql = "INSERT INTO note (id, title) VALUES (?, (SELECT max(title) FROM ticket))";
    assertThat(notesOnly.problemWith(delta(Kind.INSERT, "secret", "deltasync.rowImage", sql, 1)))
        .contains("its declared table secret is not the table its SQL writes, note");
    assertThat(notesOnly.problemWith(delta(Kind.INSERT, null, "deltasync.rowImage", sql, 1)))
        .contains("a row image (deltasync.rowImage) must name one table and call no function");
  }

  @Test
  void refusesARowImageThatIsNotOneRowOfParameters() {
    assertThat(
            notesOnly.problemWith(
                delta(
                    Kind.INSERT,
                    null,
                    "deltasync.rowImage",
                    "INSERT INTO note (id, title) VALUES (?, 'x')",
                    1)))
        .contains(
            "a row image (deltasync.rowImage) must insert one row of parameters, one per column");
    assertThat(
            notesOnly.problemWith(
                delta(Kind.UPDATE, null, "deltasync.rowImage", "UPDATE note SET title = ?", 1)))
        .contains("a row image (deltasync.rowImage) is an INSERT or a DELETE, never an UPDATE");
    assertThat(
            notesOnly.problemWith(
                delta(Kind.DELETE, null, "deltasync.rowImage", "DELETE FROM note", 0)))
        .contains("a row image (deltasync.rowImage) must delete one row by its key");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "current_user",
        "session_user",
        "user",
        "current_role",
        "current_schema",
        "system_user",
        "current_catalog"
      })
  void refusesFunctionsCalledWithoutParentheses(String niladic) {
    assertThat(
            notesOnly.problemWith(
                delta(Kind.UPDATE, null, "test.M.u", "UPDATE note SET title = " + niladic, 0)))
        .contains("function " + niladic + " is not allowed in replicated SQL");
  }

  @Test
  void refusesTheClockFunctionsCalledWithoutParenthesesUnlessAllowed() {
    Delta delta =
        delta(
            Kind.UPDATE,
            null,
            "test.M.u",
            "UPDATE note SET title = ?, changed = CURRENT_TIMESTAMP WHERE id = ?",
            2);
    java.util.Set<String> allowed = new java.util.HashSet<>(DeltaValidator.DEFAULT_FUNCTIONS);
    allowed.add("current_timestamp");

    assertThat(notesOnly.problemWith(delta))
        .hasValueSatisfying(
            problem ->
                assertThat(problem)
                    .startsWith("function current_timestamp returns a different value on each"));
    assertThat(new DeltaValidator(NameFilter.of("note,ticket", null), allowed).problemWith(delta))
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "UPDATE note SET title = ? WHERE title REGEXP '(a+)+$'",
        "UPDATE note SET title = ? WHERE title RLIKE 'x'",
        "UPDATE note SET title = ? WHERE title SIMILAR TO '(a|aa)*b'",
        "UPDATE note SET title = ? WHERE title ~ '(a+)+b'"
      })
  void refusesRegularExpressions(String sql) {
    assertThat(notesOnly.problemWith(delta(Kind.UPDATE, null, "test.M.u", sql, 1)))
        .contains(
            "regular expressions (REGEXP, RLIKE, SIMILAR TO, ~) are not applied: a backtracking"
                + " pattern can run longer than any timeout");
  }

  @ParameterizedTest
  @ValueSource(strings = {"lpad", "rpad", "replace", "repeat", "space", "regexp_replace"})
  void refusesStringExpandingFunctionsByDefault(String function) {
    String sql = "UPDATE note SET title = " + function + "('x', 900000000, 'y') WHERE id = ?";
    assertThat(notesOnly.problemWith(delta(Kind.UPDATE, null, "test.M.u", sql, 1)))
        .contains("function " + function + " is not allowed in replicated SQL");
  }

  @Test
  void refusesAnOrChainTooLongToParseSafely() {
    String sql =
        "DELETE FROM note WHERE " + String.join(" OR ", Collections.nCopies(5_000, "id = 1"));
    assertThat(notesOnly.problemWith(delta(Kind.DELETE, null, "test.M.d", sql, 0)))
        .contains("its SQL has 4999 AND / OR conditions, more than the 1000 a delta may have");
  }

  @Test
  void aParseTooDeepForTheStackIsAParseErrorNotAnError() {
    String sql =
        "DELETE FROM note WHERE " + String.join(" OR ", Collections.nCopies(50_000, "id = 1"));
    assertThat(SqlShapes.parse(sql).kind()).isIn(Kind.DELETE, null); // never a StackOverflowError
  }

  @Test
  void refusesParenthesesNestedTooDeep() {
    String sql =
        "UPDATE note SET amount = " + "(".repeat(200) + "1" + ")".repeat(200) + " WHERE id = ?";
    assertThat(notesOnly.problemWith(delta(Kind.UPDATE, null, "test.M.u", sql, 1)))
        .contains("its SQL nests parentheses 200 deep, more than the 64 a delta may have");
  }

  @Test
  void refusesSqlLongerThanTheLimitBeforeParsingIt() {
    String sql = "UPDATE note SET title = ? WHERE id = ?" + " ".repeat(100_000);
    assertThat(notesOnly.problemWith(delta(Kind.UPDATE, null, "test.M.u", sql, 2)))
        .contains("its SQL has 100038 characters, more than the 100000 a delta may have");
  }

  @Test
  void refusesMoreParametersThanTheLimit() {
    assertThat(
            notesOnly.problemWith(
                delta(Kind.UPDATE, null, "test.M.u", "UPDATE note SET title = ?", 40_000)))
        .contains("it carries 40000 parameters, more than the 32767 a delta may have");
  }

  @Test
  void refusesAParameterLargerThanTheLimit() {
    Delta delta = delta(Kind.UPDATE, null, "test.M.u", "UPDATE note SET title = ?", 0);
    Delta huge =
        new Delta(
            delta.id(),
            delta.origin(),
            delta.seq(),
            delta.txId(),
            delta.capturedAt(),
            0,
            delta.statementId(),
            delta.kind(),
            null,
            null,
            delta.sql(),
            List.of(new Param(ParamType.STRING, "x".repeat((16 << 20) + 1))));
    assertThat(notesOnly.problemWith(huge))
        .contains(
            "its parameter 1 holds 16777217 characters or bytes, more than the 16777216 a"
                + " parameter may have");
  }

  @Test
  void matchesTableNamesIgnoringOnlyAsciiCase() {
    DeltaValidator ticketOnly = new DeltaValidator(NameFilter.of("ticket", null));
    assertThat(
            ticketOnly.problemWith(
                delta(Kind.UPDATE, null, "test.M.u", "UPDATE TICKET SET title = ?", 1)))
        .isEmpty();
    assertThat(NameFilter.of("ticket", null).selects("t\u0131cket")).isFalse();
    assertThat(NameFilter.of("TICKET", null).selects("t\u0131cket")).isFalse();
    assertThat(NameFilter.of("ticket", null).selects("TICKET")).isTrue();
  }

  private static Delta delta(
      Kind kind, String table, String statementId, String sql, int paramCount) {
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
        statementId,
        kind,
        table,
        null,
        sql,
        params);
  }
}
