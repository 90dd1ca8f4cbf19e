package io.deltasync.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.conflict.Row;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.delta.RowKey;
import io.deltasync.verify.HubChecksums;
import io.deltasync.verify.HubRows;
import io.deltasync.verify.KeyRange;
import io.deltasync.verify.RowDifference;
import io.deltasync.verify.VerifyReport;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Verify requests, answers and reports in JSON: what is written is read back, garbage is refused.
 */
class VerifyJsonTest {

  private static final KeyRange FIRST = new KeyRange(null, List.of("40"), 40, "ab12");
  private static final KeyRange LAST = new KeyRange(List.of("40"), null, 7, "cd34");

  @Test
  void aChecksumRequestAndItsAnswerReadBackEqual() {
    VerifyRequest request =
        new VerifyRequest(VerifyRequest.Op.CHECKSUMS, "note", List.of(FIRST, LAST));
    HubChecksums answer = new HubChecksums(12, List.of(FIRST, LAST));

    VerifyRequest read = VerifyRequest.decode(request.encode());
    HubChecksums readAnswer = VerifyJson.decodeChecksums(VerifyJson.encode(answer));

    assertThat(read.op()).isEqualTo(VerifyRequest.Op.CHECKSUMS);
    assertThat(read.ranges())
        .extracting(KeyRange::after, KeyRange::upTo)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(null, List.of("40")),
            org.assertj.core.groups.Tuple.tuple(List.of("40"), null));
    assertThat(readAnswer).isEqualTo(answer);
  }

  @Test
  void aPageRequestReadsBackWithItsKeyAndLimit() {
    VerifyRequest request = VerifyRequest.page("note", List.of("40"), 1_000);

    VerifyRequest read = VerifyRequest.decode(request.encode());

    assertThat(new String(request.encode(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"op\":\"page\",\"table\":\"note\",\"ranges\":[{\"after\":[\"40\"],\"upTo\":null}],"
                + "\"limit\":1000}");
    assertThat(read).isEqualTo(request);
    assertThat(VerifyRequest.decode(VerifyRequest.page("note", null, 1).encode()).ranges())
        .containsExactly(KeyRange.bounds(null, null));
  }

  @Test
  void aPageRequestWithoutALimitOrWithAnUpperBoundIsMalformed() {
    String noLimit = "{\"op\":\"page\",\"table\":\"note\",\"ranges\":[{\"after\":null}]}";
    String bounded =
        "{\"op\":\"page\",\"table\":\"note\",\"ranges\":[{\"after\":null,\"upTo\":[\"9\"]}],"
            + "\"limit\":5}";

    for (String json : List.of(noLimit, bounded)) {
      assertThatThrownBy(() -> VerifyRequest.decode(json.getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(ShipException.class)
          .hasMessageContaining("PAGE needs a limit > 0 and a range with no upTo");
    }
  }

  @Test
  void aHeldRequestReadsBackWithItsKeys() {
    VerifyRequest request = VerifyRequest.held("tag", List.of(List.of("B"), List.of("a", "1")));

    VerifyRequest read = VerifyRequest.decode(request.encode());

    assertThat(new String(request.encode(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"op\":\"held\",\"table\":\"tag\",\"ranges\":[],\"keys\":[[\"B\"],[\"a\",\"1\"]]}");
    assertThat(read).isEqualTo(request);
  }

  @Test
  void aHeldRequestWithoutKeysWithARangeOrWithANullKeyIsMalformed() {
    String noKeys = "{\"op\":\"held\",\"table\":\"tag\",\"ranges\":[],\"keys\":[]}";
    String ranged =
        "{\"op\":\"held\",\"table\":\"tag\",\"ranges\":[{\"after\":null}],\"keys\":[[\"B\"]]}";
    String nullKey = "{\"op\":\"held\",\"table\":\"tag\",\"ranges\":[],\"keys\":[null]}";

    for (String json : List.of(noKeys, ranged)) {
      assertThatThrownBy(() -> VerifyRequest.decode(json.getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(ShipException.class)
          .hasMessageContaining("HELD needs no range and 1 to 10000 keys");
    }
    assertThatThrownBy(() -> VerifyRequest.decode(nullKey.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ShipException.class)
        .hasMessageContaining("a key must be an array of texts, not null");
    assertThatThrownBy(
            () ->
                new VerifyRequest(
                    VerifyRequest.Op.ROWS, "tag", List.of(FIRST), 0, List.of(List.of("B"))))
        .hasMessageContaining("ROWS takes no keys");
  }

  @Test
  void rowsKeepTheirValuesTypesAndTypedNulls() {
    Map<String, Param> values = new LinkedHashMap<>();
    values.put("id", new Param(ParamType.LONG, 7L));
    values.put("title", new Param(ParamType.STRING, "tab\tand ünïcödé"));
    values.put("amount", new Param(ParamType.DECIMAL, new BigDecimal("12.50")));
    values.put("created_at", new Param(ParamType.TIMESTAMP, LocalDateTime.of(2026, 12, 4, 8, 0)));
    values.put("data", new Param(ParamType.BYTES, new byte[] {1, 2, 3}));
    values.put("body", Param.nullOf("VARCHAR"));
    HubRows rows = new HubRows(3, List.of(new Row(values)));

    assertThat(VerifyJson.decodeRows(VerifyJson.encode(rows))).isEqualTo(rows);
    assertThat(VerifyJson.decodeRows(VerifyJson.encode(rows, true))).isEqualTo(rows);
  }

  @Test
  void namesOnceWritesEachNameOnceAndFallsBackWhenRowsDiffer() {
    List<Row> page = new java.util.ArrayList<>();
    for (long id = 1; id <= 3; id++) {
      Map<String, Param> values = new LinkedHashMap<>();
      values.put("id", new Param(ParamType.LONG, id));
      values.put(
          "ti\"tle", id == 2 ? Param.nullOf("VARCHAR") : new Param(ParamType.STRING, "t" + id));
      page.add(new Row(values));
    }
    HubRows rows = new HubRows(9, page);
    String once = new String(VerifyJson.encode(rows, true), StandardCharsets.UTF_8);

    assertThat(once)
        .startsWith("{\"hubSeq\":9,\"columns\":[\"id\",\"ti\\\"tle\"],\"rows\":[")
        .containsOnlyOnce("ti\\\"tle");
    assertThat(VerifyJson.decodeRows(once.getBytes(StandardCharsets.UTF_8))).isEqualTo(rows);
    assertThat(once.length())
        .isLessThan(new String(VerifyJson.encode(rows), StandardCharsets.UTF_8).length());

    Map<String, Param> other = new LinkedHashMap<>();
    other.put("ti\"tle", new Param(ParamType.STRING, "t4"));
    other.put("id", new Param(ParamType.LONG, 4L));
    List<Row> mixed = new java.util.ArrayList<>(page);
    mixed.add(new Row(other));
    HubRows differing = new HubRows(9, mixed);
    assertThat(new String(VerifyJson.encode(differing, true), StandardCharsets.UTF_8))
        .doesNotContain("\"columns\"");
    assertThat(VerifyJson.decodeRows(VerifyJson.encode(differing, true))).isEqualTo(differing);
  }

  @Test
  void aNamesOnceRowWithTheWrongNumberOfValuesIsRefused() {
    String json = "{\"hubSeq\":1,\"columns\":[\"id\",\"title\"],\"rows\":[[[\"LONG\",1]]]}";

    assertThatThrownBy(() -> VerifyJson.decodeRows(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a row holds 1 values for 2 columns");
  }

  @Test
  void aReportNamesEachDifferingRowByKindTableAndKey() {
    VerifyReport report =
        new VerifyReport(
            "note",
            "node-a",
            "hub",
            12,
            2,
            47,
            List.of(LAST),
            List.of(
                new RowDifference(
                    "note", RowKey.of(Map.of("id", "41")), RowDifference.Kind.MISSING)));

    assertThat(VerifyJson.report(report))
        .contains("\"inSync\":false")
        .contains(
            "\"differingRanges\":[{\"after\":[\"40\"],\"upTo\":null,\"rows\":7,\"hash\":\"cd34\"}]")
        .contains("{\"kind\":\"MISSING\",\"table\":\"note\",\"key\":{\"id\":\"41\"}}");
  }

  @Test
  void aMalformedRequestIsRefusedAsMalformed() {
    for (String json :
        List.of(
            "not json",
            "{\"op\":\"drop\",\"table\":\"note\",\"ranges\":[{\"after\":null,\"upTo\":null}]}",
            "{\"op\":\"rows\",\"table\":\"note\",\"ranges\":[]}",
            "{\"op\":\"checksums\",\"table\":\"note\",\"ranges\":[{\"after\":\"1\",\"upTo\":null}]}")) {
      assertThatThrownBy(() -> VerifyRequest.decode(json.getBytes(StandardCharsets.UTF_8)))
          .as(json)
          .isInstanceOf(ShipException.class)
          .hasMessageStartingWith("malformed verify request")
          .extracting(e -> ((ShipException) e).getReason())
          .isEqualTo(ShipException.Reason.MALFORMED);
    }
  }
}
