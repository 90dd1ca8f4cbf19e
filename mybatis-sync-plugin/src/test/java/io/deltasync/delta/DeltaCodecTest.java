package io.deltasync.delta;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DeltaCodecTest {

  @Test
  void writesTheDocumentedCompactShape() {
    assertThat(new String(DeltaCodec.encode(SampleDeltas.delta(7)), UTF_8))
        .isEqualTo(
            "{\"v\":1,\"id\":\"0190f5a2-3b4c-7d5e-8f60-718293a4b5c6\",\"origin\":\"node-a\","
                + "\"seq\":7,\"txId\":\"0190f5a2-3b4c-7d5e-9f60-718293a4b5c7\","
                + "\"capturedAt\":111411200000000000,\"basis\":3,"
                + "\"statementId\":\"com.acme.NoteMapper.update\",\"kind\":\"UPDATE\","
                + "\"table\":\"note\",\"rowKey\":{\"id\":\"42\"},"
                + "\"sql\":\"UPDATE note SET title = ? WHERE id = ?\","
                + "\"params\":[[\"STRING\",\"Hi\"],[\"LONG\",42]]}");
  }

  @Test
  void sampleCoversEveryParamType() {
    assertThat(SampleDeltas.everyParamType())
        .extracting(Param::type)
        .containsAll(EnumSet.allOf(ParamType.class));
  }

  @Test
  void decodesWhatItEncodedForEveryParamType() {
    Delta delta = SampleDeltas.everyTypeDelta();

    assertThat(DeltaCodec.decode(DeltaCodec.encode(delta))).isEqualTo(delta);
  }

  @Test
  void decodesAndEncodesToIdenticalBytes() {
    for (Delta delta :
        List.of(
            SampleDeltas.everyTypeDelta(), SampleDeltas.delta(1), SampleDeltas.unparsedDelta(0))) {
      byte[] bytes = DeltaCodec.encode(delta);

      assertThat(DeltaCodec.encode(DeltaCodec.decode(bytes))).isEqualTo(bytes);
    }
  }

  @ParameterizedTest
  @MethodSource("everyParam")
  void roundTripsEachParameterAlone(Param param) {
    String json = DeltaCodec.encodeParams(List.of(param));

    assertThat(DeltaCodec.decodeParams(json)).containsExactly(param);
    assertThat(DeltaCodec.encodeParams(DeltaCodec.decodeParams(json))).isEqualTo(json);
  }

  static Stream<Param> everyParam() {
    return SampleDeltas.everyParamType().stream();
  }

  @Test
  void roundTripsParameterLists() {
    List<Param> params = SampleDeltas.everyParamType();
    String json = DeltaCodec.encodeParams(params);

    assertThat(DeltaCodec.decodeParams(json)).isEqualTo(params);
    assertThat(DeltaCodec.encodeParams(DeltaCodec.decodeParams(json))).isEqualTo(json);
    assertThat(DeltaCodec.encodeParams(List.of())).isEqualTo("[]");
    assertThat(DeltaCodec.decodeParams("[]")).isEmpty();
  }

  @Test
  void keepsNullTableAndRowKey() {
    byte[] bytes = DeltaCodec.encode(SampleDeltas.unparsedDelta(0));

    assertThat(new String(bytes, UTF_8)).contains("\"table\":null,\"rowKey\":null,");
    Delta decoded = DeltaCodec.decode(bytes);
    assertThat(decoded.table()).isNull();
    assertThat(decoded.rowKey()).isNull();
  }

  @Test
  void writesCompositeRowKeysSortedByLowerCaseColumn() {
    RowKey rowKey = SampleDeltas.everyTypeDelta().rowKey();
    String json = DeltaCodec.encodeRowKey(rowKey);

    // Jackson writes characters beyond the BMP as escaped surrogate pairs, the rest as UTF-8.
    assertThat(json)
        .isEqualTo("{\"id\":\"42\",\"line\":\"ü\\uD83D\\uDE00\",\"tenant\":\"t-\\\"1\\\"\"}");
    assertThat(DeltaCodec.decodeRowKey(json)).isEqualTo(rowKey);
    assertThat(DeltaCodec.encodeRowKey(DeltaCodec.decodeRowKey(json))).isEqualTo(json);
  }

  @Test
  void keepsTheScaleOfDecimals() {
    List<Param> decoded =
        DeltaCodec.decodeParams(
            DeltaCodec.encodeParams(
                Stream.of("1.50", "1E+3", "-0.000")
                    .map(text -> new Param(ParamType.DECIMAL, new BigDecimal(text)))
                    .toList()));

    assertThat(decoded)
        .extracting(param -> ((BigDecimal) param.value()).scale())
        .containsExactly(2, -3, 3);
    assertThat(decoded.get(0).value()).hasToString("1.50");
    assertThat(decoded.get(0)).isNotEqualTo(new Param(ParamType.DECIMAL, new BigDecimal("1.5")));
  }

  @Test
  void keepsSignedZeroNotANumberAndInfinities() {
    List<Param> params =
        Stream.of(-0.0, Double.NaN, Double.NEGATIVE_INFINITY)
            .map(value -> new Param(ParamType.DOUBLE, value))
            .toList();

    List<Param> decoded = DeltaCodec.decodeParams(DeltaCodec.encodeParams(params));

    assertThat(Double.doubleToRawLongBits((Double) decoded.get(0).value()))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThat((Double) decoded.get(1).value()).isNaN();
    assertThat(decoded.get(2).value()).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void keepsTheOffsetOfTimestampsRatherThanNormalisingIt() {
    OffsetDateTime india =
        OffsetDateTime.of(2024, 6, 1, 9, 30, 15, 500_000_001, ZoneOffset.ofHoursMinutes(5, 30));
    String json = DeltaCodec.encodeParams(List.of(new Param(ParamType.OFFSET_DATE_TIME, india)));

    assertThat(json).isEqualTo("[[\"OFFSET_DATE_TIME\",\"2024-06-01T09:30:15.500000001+05:30\"]]");
    assertThat(((OffsetDateTime) DeltaCodec.decodeParams(json).get(0).value()).getOffset())
        .isEqualTo(ZoneOffset.ofHoursMinutes(5, 30));
  }

  @Test
  void writesBinaryAsBase64() {
    String json =
        DeltaCodec.encodeParams(List.of(new Param(ParamType.BYTES, new byte[] {0, -1, 'A'})));

    assertThat(json).isEqualTo("[[\"BYTES\",\"AP9B\"]]");
  }

  @Test
  void decodesBinaryLargerThanJacksonsDefaultStringLimit() {
    byte[] blob = new byte[16 * 1024 * 1024];
    new Random(42).nextBytes(blob);
    List<Param> params = List.of(new Param(ParamType.BYTES, blob));

    assertThat(DeltaCodec.decodeParams(DeltaCodec.encodeParams(params))).isEqualTo(params);
  }

  @Test
  void roundTripsBatches() {
    DeltaBatch batch =
        new DeltaBatch(
            "hub-1",
            "batch-\"7\"",
            List.of(
                SampleDeltas.delta(3),
                SampleDeltas.everyTypeDelta().withSeq(4),
                SampleDeltas.unparsedDelta(9)));
    byte[] bytes = DeltaCodec.encodeBatch(batch);

    assertThat(DeltaCodec.decodeBatch(bytes)).isEqualTo(batch);
    assertThat(DeltaCodec.encodeBatch(DeltaCodec.decodeBatch(bytes))).isEqualTo(bytes);
  }

  @Test
  void roundTripsEmptyBatches() {
    DeltaBatch empty = new DeltaBatch("node-a", "b-0", List.of());
    byte[] bytes = DeltaCodec.encodeBatch(empty);

    assertThat(new String(bytes, UTF_8))
        .isEqualTo(
            "{\"v\":1,\"sender\":\"node-a\",\"batchId\":\"b-0\",\"afterSeq\":0,\"upToSeq\":0,\"deltas\":[]}");
    assertThat(DeltaCodec.decodeBatch(bytes)).isEqualTo(empty);
  }

  @Test
  void writesBatchesNamingTheSenderIncarnationAsVersion2() {
    DeltaBatch batch =
        new DeltaBatch("node-a", "b-0", 5, 5, List.of())
            .in(new Incarnation("019aa8f2-3c4d-7e1f-9a2b-3c4d5e6f7a8b", 3));
    byte[] bytes = DeltaCodec.encodeBatch(batch);

    assertThat(new String(bytes, UTF_8))
        .isEqualTo(
            "{\"v\":2,\"sender\":\"node-a\",\"batchId\":\"b-0\",\"afterSeq\":5,\"upToSeq\":5,"
                + "\"incarnation\":\"019aa8f2-3c4d-7e1f-9a2b-3c4d5e6f7a8b\",\"base\":3,\"deltas\":[]}");
    assertThat(DeltaCodec.decodeBatch(bytes)).isEqualTo(batch);
    assertThat(DeltaCodec.encodeBatch(DeltaCodec.decodeBatch(bytes))).isEqualTo(bytes);
  }

  @Test
  void keepsHowFarABatchReachesBeyondItsLastDelta() {
    DeltaBatch batch = new DeltaBatch("node-a", "b-9", 42, List.of(SampleDeltas.delta(7)));

    DeltaBatch decoded = DeltaCodec.decodeBatch(DeltaCodec.encodeBatch(batch));

    assertThat(decoded.upToSeq()).isEqualTo(42);
    assertThat(decoded.lastSeq()).isEqualTo(7);
  }

  @Test
  void roundTripsSingleColumnRowKeys() {
    String json = DeltaCodec.encodeRowKey(RowKey.of(Map.of("ID", "")));

    assertThat(json).isEqualTo("{\"id\":\"\"}");
    assertThat(DeltaCodec.encodeRowKey(DeltaCodec.decodeRowKey(json))).isEqualTo(json);
  }
}
