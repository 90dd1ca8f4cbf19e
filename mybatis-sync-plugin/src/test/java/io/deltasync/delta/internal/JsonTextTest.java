package io.deltasync.delta.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.delta.DeltaCodec;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.delta.RowKey;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The capture path's JSON writer against Jackson's: the same text for every kind of parameter and
 * for row keys with any characters, since stored row keys are compared as text.
 */
class JsonTextTest {

  @Test
  void writesParametersAsJacksonDoes() {
    List<Param> params =
        List.of(
            Param.nullOf("VARCHAR"),
            new Param(
                ParamType.STRING, "say \"hi\"\\ \n\t\r\b\f \u0000\u001f\u007f é 😀 </script>"),
            new Param(ParamType.BOOLEAN, true),
            new Param(ParamType.BYTE, (byte) -7),
            new Param(ParamType.SHORT, (short) 300),
            new Param(ParamType.INT, Integer.MIN_VALUE),
            new Param(ParamType.LONG, Long.MAX_VALUE),
            new Param(ParamType.FLOAT, 1.5f),
            new Param(ParamType.DOUBLE, -0.1),
            new Param(ParamType.DECIMAL, new BigDecimal("19.90")),
            new Param(ParamType.TIMESTAMP, LocalDateTime.of(2026, 12, 4, 12, 0, 1, 5)),
            new Param(ParamType.OFFSET_DATE_TIME, OffsetDateTime.parse("2026-12-04T12:00+01:00")),
            new Param(ParamType.UUID, UUID.fromString("019a8f3c-6b2e-7c41-9d3a-0f6e2b7a1c55")),
            new Param(ParamType.BYTES, new byte[] {0, 1, -1, 42}));

    assertThat(JsonText.params(params)).isEqualTo(jackson(params));
    assertThat(JsonText.params(List.of())).isEqualTo("[]").isEqualTo(jackson(List.of()));
    assertThat(DeltaCodec.decodeParams(DeltaCodec.encodeParams(params)))
        .usingRecursiveFieldByFieldElementComparator()
        .isEqualTo(DeltaCodec.decodeParams(jackson(params)));
  }

  @Test
  void writesRowKeysAsJacksonDoesForAnyCharacters() {
    Random random = new Random(20261204);
    for (int n = 0; n < 2_000; n++) {
      RowKey key = RowKey.of(Map.of("id", text(random), "Region", text(random)));
      String expected =
          new String(
              JsonOut.write(generator -> JsonOut.writeRowKey(generator, key)),
              StandardCharsets.UTF_8);

      assertThat(JsonText.rowKey(key)).isEqualTo(expected);
      assertThat(DeltaCodec.decodeRowKey(JsonText.rowKey(key))).isEqualTo(key);
    }
  }

  /** Text of control characters, quotes, backslashes, ASCII, Latin-1, CJK and emoji. */
  private static String text(Random random) {
    String[] pieces = {"\"", "\\", "/", "a", "Z", "9", " ", "é", "日本", "😀", "\u2028", "\u007f"};
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(12);
    for (int i = 0; i < length; i++) {
      if (random.nextInt(4) == 0) {
        text.append((char) random.nextInt(0x20));
      } else {
        text.append(pieces[random.nextInt(pieces.length)]);
      }
    }
    return text.toString();
  }

  private static String jackson(List<Param> params) {
    return new String(
        JsonOut.write(generator -> JsonOut.writeParams(generator, new ArrayList<>(params))),
        StandardCharsets.UTF_8);
  }
}
