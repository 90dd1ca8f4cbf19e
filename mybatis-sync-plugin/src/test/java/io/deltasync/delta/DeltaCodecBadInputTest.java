package io.deltasync.delta;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DeltaCodecBadInputTest {

  private static final String VALID = json(SampleDeltas.delta(1));

  @Test
  void rejectsEmptyInput() {
    assertThatThrownBy(() -> DeltaCodec.decode(new byte[0]))
        .isInstanceOf(DeltaFormatException.class)
        .hasMessage("expected a delta as JSON, but the input was empty");
    assertThatThrownBy(() -> DeltaCodec.decode(null))
        .isInstanceOf(DeltaFormatException.class)
        .hasMessage("expected a delta as JSON, but the input was empty");
    assertThatThrownBy(() -> DeltaCodec.decodeBatch(new byte[0]))
        .isInstanceOf(DeltaFormatException.class)
        .hasMessage("expected a batch as JSON, but the input was empty");
    assertThatThrownBy(() -> DeltaCodec.decodeParams(""))
        .isInstanceOf(DeltaFormatException.class)
        .hasMessage("expected a parameter list as JSON, but the input was empty");
  }

  @Test
  void rejectsBlankInput() {
    assertDecodeFails("  \n").hasMessageStartingWith("expected a delta object but found null");
  }

  @ParameterizedTest
  @ValueSource(strings = {"hello", "<delta/>", "{v:1}", "{'v':1}"})
  void rejectsTextThatIsNotJson(String text) {
    assertDecodeFails(text).hasMessageStartingWith("malformed delta JSON: ");
  }

  @Test
  void rejectsJsonThatIsNotADeltaObject() {
    assertDecodeFails("[1]")
        .hasMessageStartingWith("expected a delta object but found START_ARRAY");
  }

  @Test
  void rejectsTruncatedJsonAtEveryLength() {
    for (int length = 1; length < VALID.length(); length++) {
      assertDecodeFails(VALID.substring(0, length))
          .hasMessageStartingWith("malformed delta JSON: ")
          .hasMessageContaining("end-of-input");
    }
  }

  @Test
  void rejectsTruncatedJsonOfDeltasWithEveryParamType() {
    String full = json(SampleDeltas.everyTypeDelta());
    for (int length = 1; length < full.length(); length++) {
      String prefix = full.substring(0, length);
      assertThatThrownBy(() -> DeltaCodec.decode(prefix.getBytes(UTF_8)))
          .as("decoding the first %d characters", length)
          .isInstanceOf(DeltaFormatException.class);
    }
  }

  @Test
  void rejectsUnsupportedFormatVersion() {
    assertDecodeFails(VALID.replace("{\"v\":1,", "{\"v\":2,"))
        .hasMessage("unsupported format version 2; this node reads version 1");
    String batch = "{\"v\":3,\"sender\":\"node-a\",\"batchId\":\"b-1\",\"deltas\":[]}";
    assertThatThrownBy(() -> DeltaCodec.decodeBatch(batch.getBytes(UTF_8)))
        .isInstanceOf(DeltaFormatException.class)
        .hasMessage("unsupported format version 3; this node reads version 1 to 2");
  }

  @Test
  void rejectsMissingVersion() {
    assertDecodeFails(VALID.replace("{\"v\":1,", "{"))
        .hasMessageStartingWith("expected field \"v\" but found \"id\"");
  }

  @Test
  void rejectsMissingField() {
    String withoutTxId = VALID.replace("\"txId\":\"" + SampleDeltas.TX_ID + "\",", "");

    assertDecodeFails(withoutTxId)
        .hasMessageStartingWith("expected field \"txId\" but found \"capturedAt\"");
  }

  @Test
  void rejectsFieldOfTheWrongJsonType() {
    assertDecodeFails(VALID.replace("\"seq\":1,", "\"seq\":\"1\","))
        .hasMessage("field \"seq\" must be an integer");
    assertDecodeFails(VALID.replace("\"table\":\"note\"", "\"table\":7"))
        .hasMessage("field \"table\" must be a string or null");
  }

  @Test
  void rejectsUnknownKind() {
    assertDecodeFails(VALID.replace("\"UPDATE\"", "\"MERGE\""))
        .hasMessage("kind must be INSERT, UPDATE or DELETE, but was 'MERGE'");
  }

  @Test
  void rejectsUnknownParamType() {
    assertDecodeFails(VALID.replace("[\"LONG\",42]", "[\"HUGEINT\",42]"))
        .hasMessage("parameter 2 has unknown type 'HUGEINT'");
  }

  @Test
  void rejectsParamValueOfTheWrongJsonType() {
    assertDecodeFails(VALID.replace("[\"LONG\",42]", "[\"LONG\",\"42\"]"))
        .hasMessage("parameter 2 of type LONG has a wrong value: VALUE_STRING");
    assertParamsFail("[[\"BOOLEAN\",\"true\"]]")
        .hasMessage("parameter 1 of type BOOLEAN has a wrong value: VALUE_STRING");
    assertParamsFail("[[\"DECIMAL\",1.5]]")
        .hasMessage("parameter 1 of type DECIMAL has a wrong value: VALUE_NUMBER_FLOAT");
    assertParamsFail("[[\"INT\",1.0]]")
        .hasMessage("parameter 1 of type INT has a wrong value: VALUE_NUMBER_FLOAT");
    assertParamsFail("[[\"NULL\",null]]")
        .hasMessage("parameter 1 of type NULL has a wrong value: VALUE_NULL");
  }

  @ParameterizedTest
  @CsvSource({"BYTE, 128", "BYTE, -129", "SHORT, 32768", "INT, 2147483648", "INT, -2147483649"})
  void rejectsIntegersOutOfTheirTypesRange(String type, String value) {
    assertParamsFail("[[\"" + type + "\"," + value + "]]")
        .hasMessage("parameter 1 is not a valid " + type + ": '" + value + "'");
  }

  @Test
  void rejectsIntegersBeyondLong() {
    assertParamsFail("[[\"LONG\",9223372036854775808]]")
        .hasMessageStartingWith(
            "malformed parameter list JSON: Numeric value (9223372036854775808)")
        .hasMessageContaining("out of range of long");
  }

  @ParameterizedTest
  @CsvSource({
    "UUID, not-a-uuid",
    "DATE, 2024-02-30",
    "LOCAL_DATE, 01/02/2024",
    "TIME, 25:00",
    "TIMESTAMP, 2024-01-02 03:04:05",
    "OFFSET_DATE_TIME, 2024-01-02T03:04:05",
    "BYTES, not base64!",
    "FLOAT, one",
    "DECIMAL, '1,5'"
  })
  void rejectsTextThatIsNotAValueOfItsType(String type, String text) {
    assertParamsFail("[[\"" + type + "\",\"" + text + "\"]]")
        .hasMessage("parameter 1 is not a valid " + type + ": '" + text + "'");
  }

  @Test
  void rejectsParamsOfTheWrongShape() {
    assertParamsFail("[[\"INT\",1,2]]").hasMessage("parameter 1 must have exactly two elements");
    assertParamsFail("[42]").hasMessage("parameter 1 must be a [type, value] array");
    assertParamsFail("[[42,\"INT\"]]").hasMessage("parameter 1 must start with its type name");
    assertParamsFail("{}").hasMessageStartingWith("params must be an array");
  }

  @ParameterizedTest
  @ValueSource(strings = {"garbage", "{}", ",", " 1", "\"\""})
  void rejectsTrailingGarbageAfterTheObject(String garbage) {
    assertDecodeFails(VALID + garbage).hasMessageStartingWith("unexpected content after the delta");
    assertParamsFail("[]" + garbage)
        .hasMessageStartingWith("unexpected content after the parameter list");
  }

  @Test
  void acceptsTrailingWhitespace() {
    assertThat(DeltaCodec.decode((VALID + " \n").getBytes(UTF_8))).isEqualTo(SampleDeltas.delta(1));
  }

  @Test
  void rejectsValuesTheRecordsRefuse() {
    assertDecodeFails(VALID.replace("\"node-a\"", "\"Node_A\""))
        .hasMessageStartingWith("invalid delta: origin must match");
    assertDecodeFails(VALID.replace("\"seq\":1,", "\"seq\":-1,"))
        .hasMessage("invalid delta: seq must be >= 0, but was -1");
  }

  @Test
  void rejectsTextThatWouldForgeALogLineNamingTheFieldWithoutBreakingTheMessage() {
    String forged =
        VALID.replace(
            "\"com.acme.NoteMapper.update\"",
            "\"com.acme.NoteMapper.update\\n2026-12-05 INFO DeltaApplier - Applied\"");

    assertDecodeFails(forged)
        .hasMessage(
            "invalid delta: statementId must not hold line breaks or control characters, but was"
                + " 'com.acme.NoteMapper.update\\n2026-12-05 INFO DeltaApplier - Applied'");
    String batch =
        "{\"v\":1,\"sender\":\"node-a\",\"batchId\":\"b\\u2028x\",\"afterSeq\":0,"
            + "\"upToSeq\":0,\"deltas\":[]}";
    assertThatThrownBy(() -> DeltaCodec.decodeBatch(batch.getBytes(UTF_8)))
        .isInstanceOf(DeltaFormatException.class)
        .hasMessage(
            "invalid batch: batchId must be 1 to 36 visible ASCII characters (no space), but was"
                + " 'b\\u2028x'");
  }

  @Test
  void rejectsBatchWhoseDeltasAreOutOfSeqOrder() {
    String batch =
        "{\"v\":1,\"sender\":\"node-a\",\"batchId\":\"b-1\",\"afterSeq\":0,\"upToSeq\":2,\"deltas\":["
            + json(SampleDeltas.delta(2))
            + ","
            + json(SampleDeltas.delta(1))
            + "]}";

    assertThatThrownBy(() -> DeltaCodec.decodeBatch(batch.getBytes(UTF_8)))
        .isInstanceOf(DeltaFormatException.class)
        .hasMessage(
            "invalid batch: deltas must be in strictly increasing seq order,"
                + " but seq 1 came after 2 in batch b-1");
  }

  @Test
  void rejectsBatchElementThatIsNotADelta() {
    String batch =
        "{\"v\":1,\"sender\":\"node-a\",\"batchId\":\"b-1\",\"afterSeq\":0,\"upToSeq\":0,\"deltas\":[42]}";

    assertThatThrownBy(() -> DeltaCodec.decodeBatch(batch.getBytes(UTF_8)))
        .isInstanceOf(DeltaFormatException.class)
        .hasMessageStartingWith("expected a delta object but found VALUE_NUMBER_INT");
  }

  @Test
  void rejectsRowKeysThatAreEmptyOrNotText() {
    assertThatThrownBy(() -> DeltaCodec.decodeRowKey("{}"))
        .isInstanceOf(DeltaFormatException.class)
        .hasMessage("invalid row key: a row key needs at least one column, but had none");
    assertThatThrownBy(() -> DeltaCodec.decodeRowKey("{\"id\":42}"))
        .isInstanceOf(DeltaFormatException.class)
        .hasMessage("rowKey value of id must be a string");
    assertThatThrownBy(() -> DeltaCodec.decodeRowKey("[\"id\"]"))
        .isInstanceOf(DeltaFormatException.class)
        .hasMessageStartingWith("rowKey must be an object or null");
  }

  private static String json(Delta delta) {
    return new String(DeltaCodec.encode(delta), UTF_8);
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertDecodeFails(String json) {
    return assertThatThrownBy(() -> DeltaCodec.decode(json.getBytes(UTF_8)))
        .isInstanceOf(DeltaFormatException.class);
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertParamsFail(String json) {
    return assertThatThrownBy(() -> DeltaCodec.decodeParams(json))
        .isInstanceOf(DeltaFormatException.class);
  }
}
