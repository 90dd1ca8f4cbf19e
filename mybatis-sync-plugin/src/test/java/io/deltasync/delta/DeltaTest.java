package io.deltasync.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DeltaTest {

  private static final Delta SAMPLE = SampleDeltas.delta(1);

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"Node_A", "node a", "NODE-A", "node.a", "nöde"})
  void rejectsOriginThatIsNotANodeId(String origin) {
    assertThatThrownBy(() -> withOrigin(origin))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("origin must match [a-z0-9-]{1,64}, but was ");
  }

  @Test
  void quotesTheRejectedOrigin() {
    assertThatThrownBy(() -> withOrigin("Node_A"))
        .hasMessage("origin must match [a-z0-9-]{1,64}, but was 'Node_A'");
    assertThatThrownBy(() -> withOrigin(null))
        .hasMessage("origin must match [a-z0-9-]{1,64}, but was null");
  }

  @Test
  void acceptsNodeIdsOfOneToSixtyFourCharacters() {
    assertThat(withOrigin("a").origin()).isEqualTo("a");
    assertThat(withOrigin("n".repeat(64)).origin()).hasSize(64);
    assertThatThrownBy(() -> withOrigin("n".repeat(65))).hasMessageContaining("origin must match");
  }

  @Test
  void rejectsBlankSql() {
    assertThatThrownBy(() -> withSql(" \t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sql must not be blank, but was ' \\t'");
    assertThatThrownBy(() -> withSql(null)).hasMessage("sql must not be blank, but was null");
  }

  @Test
  void rejectsBlankIds() {
    assertThatThrownBy(
            () ->
                new Delta(
                    "", "node-a", 0, "tx", 0, 0, "s", Kind.INSERT, null, null, "SQL", List.of()))
        .hasMessage("id must be 1 to 36 visible ASCII characters (no space), but was ''");
    assertThatThrownBy(
            () ->
                new Delta(
                    "id", "node-a", 0, " ", 0, 0, "s", Kind.INSERT, null, null, "SQL", List.of()))
        .hasMessage("txId must be 1 to 36 visible ASCII characters (no space), but was ' '");
    assertThatThrownBy(
            () ->
                new Delta(
                    "id", "node-a", 0, "tx", 0, 0, null, Kind.INSERT, null, null, "SQL", List.of()))
        .hasMessage("statementId must not be blank, but was null");
  }

  @Test
  void rejectsIdsThatAreNotOneVisibleToken() {
    assertThatThrownBy(() -> withIds("d-1\n2026-12-05 INFO forged", "tx"))
        .hasMessage(
            "id must be 1 to 36 visible ASCII characters (no space), but was"
                + " 'd-1\\n2026-12-05 INFO forged'");
    assertThatThrownBy(() -> withIds("d-1", "x".repeat(37)))
        .hasMessageStartingWith("txId must be 1 to 36 visible ASCII characters");
    assertThat(withIds("019a0000-0000-7000-8000-000000000000", "tx-1").id()).hasSize(36);
  }

  @Test
  void rejectsStatementIdsThatWouldBreakALogLine() {
    assertThatThrownBy(() -> withStatementId("com.acme.NoteMapper.insert\r\nforged line"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "statementId must not hold line breaks or control characters, but was"
                + " 'com.acme.NoteMapper.insert\\r\\nforged line'");
    assertThatThrownBy(() -> withStatementId("a\u202eb"))
        .hasMessageStartingWith("statementId must not hold line breaks or control characters");
    assertThatThrownBy(() -> withStatementId("m".repeat(513)))
        .hasMessageStartingWith("statementId must have at most 512 characters, but has 513: 'mmm");
    assertThat(withStatementId("com.acme.Mapper.insert-Inline_1$x").statementId())
        .isEqualTo("com.acme.Mapper.insert-Inline_1$x");
  }

  private static Delta withIds(String id, String txId) {
    return new Delta(id, "node-a", 0, txId, 0, 0, "s", Kind.INSERT, null, null, "SQL", List.of());
  }

  private static Delta withStatementId(String statementId) {
    return new Delta(
        "id", "node-a", 0, "tx", 0, 0, statementId, Kind.INSERT, null, null, "SQL", List.of());
  }

  @Test
  void rejectsNegativeSeqAndBasis() {
    assertThatThrownBy(() -> SAMPLE.withSeq(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("seq must be >= 0, but was -1");
    assertThatThrownBy(
            () ->
                new Delta(
                    "id", "node-a", 0, "tx", 0, -5, "s", Kind.INSERT, null, null, "SQL", List.of()))
        .hasMessage("basis must be >= 0, but was -5");
  }

  @Test
  void requiresKindAndParams() {
    assertThatThrownBy(
            () -> new Delta("id", "node-a", 0, "tx", 0, 0, "s", null, null, null, "SQL", List.of()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("kind");
    assertThatThrownBy(
            () ->
                new Delta("id", "node-a", 0, "tx", 0, 0, "s", Kind.DELETE, null, null, "SQL", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("params");
  }

  @Test
  void allowsUnknownTableAndRowKey() {
    Delta delta = SampleDeltas.unparsedDelta(0);

    assertThat(delta.table()).isNull();
    assertThat(delta.rowKey()).isNull();
  }

  @Test
  void copiesItsParameterList() {
    List<Param> params = new ArrayList<>(List.of(new Param(ParamType.INT, 1)));
    Delta delta =
        new Delta("id", "node-a", 0, "tx", 0, 0, "s", Kind.INSERT, null, null, "SQL ?", params);

    params.add(new Param(ParamType.INT, 2));

    assertThat(delta.params()).containsExactly(new Param(ParamType.INT, 1));
    assertThatThrownBy(() -> delta.params().add(new Param(ParamType.INT, 3)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void withSeqChangesOnlyTheSeq() {
    Delta renumbered = SAMPLE.withSeq(99);

    assertThat(renumbered.seq()).isEqualTo(99);
    assertThat(renumbered).usingRecursiveComparison().ignoringFields("seq").isEqualTo(SAMPLE);
  }

  private static Delta withOrigin(String origin) {
    return new Delta(
        SAMPLE.id(),
        origin,
        SAMPLE.seq(),
        SAMPLE.txId(),
        SAMPLE.capturedAt(),
        SAMPLE.basis(),
        SAMPLE.statementId(),
        SAMPLE.kind(),
        SAMPLE.table(),
        SAMPLE.rowKey(),
        SAMPLE.sql(),
        SAMPLE.params());
  }

  private static Delta withSql(String sql) {
    return new Delta(
        SAMPLE.id(),
        SAMPLE.origin(),
        SAMPLE.seq(),
        SAMPLE.txId(),
        SAMPLE.capturedAt(),
        SAMPLE.basis(),
        SAMPLE.statementId(),
        SAMPLE.kind(),
        SAMPLE.table(),
        SAMPLE.rowKey(),
        sql,
        SAMPLE.params());
  }
}
