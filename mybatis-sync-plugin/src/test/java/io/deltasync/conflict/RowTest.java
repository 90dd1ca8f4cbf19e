package io.deltasync.conflict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.delta.RowKey;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RowTest {

  private static Row note() {
    Map<String, Param> values = new LinkedHashMap<>();
    values.put("ID", new Param(ParamType.LONG, 7L));
    values.put("Title", new Param(ParamType.STRING, "groceries"));
    values.put("amount", new Param(ParamType.DECIMAL, new BigDecimal("12.50")));
    values.put("done", Param.nullOf("BIT"));
    values.put("due_day", Param.nullOf("DATE"));
    values.put("created_at", Param.nullOf("TIMESTAMP"));
    return new Row(values);
  }

  @Test
  void lowerCasesColumnsAndKeepsTheirOrder() {
    Row row = note();

    assertThat(row.columns())
        .containsExactly("id", "title", "amount", "done", "due_day", "created_at");
    assertThat(row.param("TITLE")).isEqualTo(new Param(ParamType.STRING, "groceries"));
    assertThat(row.get("Id")).isEqualTo(7L);
    assertThat(row.param("nope")).isNull();
  }

  @Test
  void hasColumnsOnlyForTheSameNamesInTheSameOrder() {
    Row row = note();

    assertThat(row.hasColumns(List.of("id", "title", "amount", "done", "due_day", "created_at")))
        .isTrue();
    assertThat(row.hasColumns(List.of("title", "id", "amount", "done", "due_day", "created_at")))
        .isFalse();
    assertThat(row.hasColumns(List.of("id", "title", "amount", "done", "due_day"))).isFalse();
    assertThat(row.hasColumns(List.of("ID", "title", "amount", "done", "due_day", "created_at")))
        .as("names are compared as Row keeps them, lower case")
        .isFalse();
  }

  @Test
  void isAnImmutableCopy() {
    Map<String, Param> values = new HashMap<>(Map.of("id", new Param(ParamType.INT, 1)));
    Row row = new Row(values);
    values.put("title", new Param(ParamType.STRING, "late"));

    assertThat(row.columns()).containsExactly("id");
    assertThatThrownBy(() -> row.values().put("x", Param.nullOf("VARCHAR")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void rejectsEmptyRowsNullValuesAndColumnsGivenTwice() {
    Map<String, Param> nullValue = new HashMap<>();
    nullValue.put("body", null);
    Map<String, Param> twice = new LinkedHashMap<>();
    twice.put("id", new Param(ParamType.INT, 1));
    twice.put("ID", new Param(ParamType.INT, 2));

    assertThatThrownBy(() -> new Row(Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a row needs at least one column, but had none");
    assertThatThrownBy(() -> new Row(nullValue))
        .hasMessage("column body must hold a Param (a typed null for SQL null), but was null");
    assertThatThrownBy(() -> new Row(twice)).hasMessage("column ID is given twice");
  }

  @Test
  void ofColumnsAndValuesIsTheRowOfTheirMapAndCheckedAlike() {
    Param one = new Param(ParamType.INT, 1);
    Param title = new Param(ParamType.STRING, "a");
    Map<String, Param> map = new LinkedHashMap<>();
    map.put("id", one);
    map.put("title", title);
    Row row = Row.of(List.of("ID", "Title"), List.of(one, title));

    assertThat(row).isEqualTo(new Row(map));
    assertThat(row.columns()).containsExactly("id", "title");
    assertThatThrownBy(() -> row.values().put("x", Param.nullOf("VARCHAR")))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> Row.of(List.of(), List.of()))
        .hasMessage("a row needs at least one column, but had none");
    assertThatThrownBy(() -> Row.of(List.of("id", "title"), List.of(one)))
        .hasMessage("a row of 2 columns was given 1 values");
    assertThatThrownBy(() -> Row.of(List.of("id", "ID"), List.of(one, one)))
        .hasMessage("column ID is given twice");
    assertThatThrownBy(() -> Row.of(List.of("id"), java.util.Arrays.asList((Param) null)))
        .hasMessage("column id must hold a Param (a typed null for SQL null), but was null");
  }

  @Test
  void withTypesTheValueByItsClass() {
    UUID id = UUID.randomUUID();
    OffsetDateTime at = OffsetDateTime.parse("2026-01-02T03:04:05+02:00");
    Row row =
        note().with("title", "rent").with("done", true).with("due_day", LocalDate.of(2026, 1, 2));

    assertThat(row.param("title")).isEqualTo(new Param(ParamType.STRING, "rent"));
    assertThat(row.param("done")).isEqualTo(new Param(ParamType.BOOLEAN, true));
    assertThat(row.param("due_day")).isEqualTo(new Param(ParamType.DATE, LocalDate.of(2026, 1, 2)));
    assertThat(row.with("id", 8).param("id")).isEqualTo(new Param(ParamType.INT, 8));
    assertThat(row.with("title", id).param("title")).isEqualTo(new Param(ParamType.UUID, id));
    assertThat(row.with("title", at).param("title").type()).isEqualTo(ParamType.OFFSET_DATE_TIME);
    assertThat(row.with("title", new byte[] {1}).param("title").type()).isEqualTo(ParamType.BYTES);
    assertThat(note().get("title")).as("the original is unchanged").isEqualTo("groceries");
  }

  @Test
  void withNullKeepsTheColumnsJdbcType() {
    Row row = note().with("amount", null).with("title", null).with("done", null);

    assertThat(row.param("amount")).isEqualTo(Param.nullOf("DECIMAL"));
    assertThat(row.param("title")).isEqualTo(Param.nullOf("VARCHAR"));
    assertThat(row.param("done")).isEqualTo(Param.nullOf("BIT"));
    assertThat(row.get("amount")).isNull();
  }

  @Test
  void withRefusesUnknownColumnsAndClasses() {
    assertThatThrownBy(() -> note().with("colour", "red"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the row has no column colour; its columns are [id, title, amount, done, due_day, created_at]");
    assertThatThrownBy(() -> note().with("title", new java.util.Date(0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("column title cannot hold a java.util.Date");
  }

  @Test
  void withTextParsesAsTheColumnsType() {
    Row row =
        note()
            .withText("amount", "99.95")
            .withText("id", "8")
            .withText("done", "true")
            .withText("due_day", "2026-03-01")
            .withText("created_at", "2026-03-01T10:15:30.123");

    assertThat(row.param("amount"))
        .isEqualTo(new Param(ParamType.DECIMAL, new BigDecimal("99.95")));
    assertThat(row.param("id")).isEqualTo(new Param(ParamType.LONG, 8L));
    assertThat(row.param("done"))
        .as("from a null of BIT")
        .isEqualTo(new Param(ParamType.BOOLEAN, true));
    assertThat(row.get("due_day")).isEqualTo(LocalDate.of(2026, 3, 1));
    assertThat(row.param("created_at"))
        .isEqualTo(
            new Param(ParamType.TIMESTAMP, LocalDateTime.of(2026, 3, 1, 10, 15, 30, 123_000_000)));
    assertThat(row.withText("title", null).param("title")).isEqualTo(Param.nullOf("VARCHAR"));
    assertThat(row.withText("amount", null).withText("amount", "1").get("amount"))
        .isEqualTo(BigDecimal.ONE);
  }

  @Test
  void withTextSaysWhichColumnNeedsWhatForBadText() {
    assertThatThrownBy(() -> note().withText("amount", "abc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("column amount needs a DECIMAL, but was 'abc'");
    assertThatThrownBy(() -> note().withText("done", "yes"))
        .hasMessage("column done needs a BOOLEAN, but was 'yes'");
    assertThatThrownBy(() -> note().withText("due_day", "1/3/2026"))
        .hasMessage("column due_day needs a DATE, but was '1/3/2026'");
    assertThatThrownBy(() -> note().withText("id", "99999999999999999999"))
        .hasMessage("column id needs a LONG, but was '99999999999999999999'");
  }

  @Test
  void paramsFollowTheGivenOrder() {
    assertThat(note().params(List.of("amount", "ID")))
        .containsExactly(
            new Param(ParamType.DECIMAL, new BigDecimal("12.50")), new Param(ParamType.LONG, 7L));
    assertThatThrownBy(() -> note().params(List.of("body")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keyHoldsTheValuesTextsAsCapturedDeltasDo() {
    Row row = note().withText("amount", "12.500");

    assertThat(row.key(List.of("title", "ID", "amount")))
        .isEqualTo(RowKey.of(Map.of("id", "7", "title", "groceries", "amount", "12.5")));
    assertThatThrownBy(() -> note().key(List.of("due_day")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key column due_day is null");
  }
}
