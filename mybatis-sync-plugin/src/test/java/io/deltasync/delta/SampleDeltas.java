package io.deltasync.delta;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Deltas and parameters for the tests of this package. */
final class SampleDeltas {

  static final String ID = "0190f5a2-3b4c-7d5e-8f60-718293a4b5c6";
  static final String TX_ID = "0190f5a2-3b4c-7d5e-9f60-718293a4b5c7";

  private SampleDeltas() {}

  /** A small update of note 42, numbered {@code seq}. */
  static Delta delta(long seq) {
    return new Delta(
        ID,
        "node-a",
        seq,
        TX_ID,
        1_700_000_000_000L << 16,
        3,
        "com.acme.NoteMapper.update",
        Kind.UPDATE,
        "note",
        RowKey.of(Map.of("id", "42")),
        "UPDATE note SET title = ? WHERE id = ?",
        List.of(new Param(ParamType.STRING, "Hi"), new Param(ParamType.LONG, 42L)));
  }

  /** An insert with a composite key whose parameters cover every {@link ParamType}. */
  static Delta everyTypeDelta() {
    List<Param> params = everyParamType();
    return new Delta(
        ID,
        "node-b-7",
        12,
        TX_ID,
        (1_700_000_000_123L << 16) | 5,
        0,
        "com.acme.KitchenSinkMapper.insert",
        Kind.INSERT,
        "kitchen_sink",
        RowKey.of(Map.of("Tenant", "t-\"1\"", "ID", "42", "line", "ü😀")),
        "INSERT INTO kitchen_sink VALUES (" + "?, ".repeat(params.size() - 1) + "?)",
        params);
  }

  /** A delta whose table and row key are unknown, as for a statement that could not be parsed. */
  static Delta unparsedDelta(long seq) {
    return new Delta(
        ID,
        "node-a",
        seq,
        TX_ID,
        7,
        0,
        "com.acme.NoteMapper.purge",
        Kind.DELETE,
        null,
        null,
        "DELETE FROM note WHERE created < ?",
        List.of(new Param(ParamType.LOCAL_DATE, LocalDate.of(2020, 1, 1))));
  }

  /** Parameters of every {@link ParamType}, with the edge values of each. */
  static List<Param> everyParamType() {
    List<Param> params = new ArrayList<>();
    for (String text :
        List.of(
            "",
            "plain",
            "it's \"quoted\"",
            "back\\slash \\n not a newline",
            "line one\nline two\r\n\ttabbed",
            "control \u0000 \u0001 \u001f \u007f",
            "emoji 😀👍🏽 and flags 🇩🇪",
            "ümlaut, 日本語, العربية, \u2028 \u2029",
            "lone surrogate \ud800 here")) {
      params.add(new Param(ParamType.STRING, text));
    }
    for (String jdbcType : List.of("VARCHAR", "INTEGER", "TIMESTAMP", "BLOB", "OTHER")) {
      params.add(Param.nullOf(jdbcType));
    }
    params.add(new Param(ParamType.BOOLEAN, true));
    params.add(new Param(ParamType.BOOLEAN, false));
    for (byte value : new byte[] {Byte.MIN_VALUE, -1, 0, 1, Byte.MAX_VALUE}) {
      params.add(new Param(ParamType.BYTE, value));
    }
    for (short value : new short[] {Short.MIN_VALUE, 0, Short.MAX_VALUE}) {
      params.add(new Param(ParamType.SHORT, value));
    }
    for (int value : new int[] {Integer.MIN_VALUE, 0, Integer.MAX_VALUE}) {
      params.add(new Param(ParamType.INT, value));
    }
    for (long value : new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE}) {
      params.add(new Param(ParamType.LONG, value));
    }
    for (float value :
        new float[] {
          0.1f,
          -0.0f,
          Float.NaN,
          Float.POSITIVE_INFINITY,
          Float.NEGATIVE_INFINITY,
          Float.MIN_VALUE,
          Float.MAX_VALUE
        }) {
      params.add(new Param(ParamType.FLOAT, value));
    }
    for (double value :
        new double[] {
          0.1,
          -0.0,
          0.0,
          Double.NaN,
          Double.POSITIVE_INFINITY,
          Double.NEGATIVE_INFINITY,
          Double.MIN_VALUE,
          Double.MAX_VALUE,
          1e-7
        }) {
      params.add(new Param(ParamType.DOUBLE, value));
    }
    for (String decimal :
        List.of(
            "1.50",
            "-0.000",
            "1E+3",
            "0.0000001",
            "-12.345",
            "1234567890123456789012345678901234567890",
            "-9999999999999999999.99999999999999999999")) {
      params.add(new Param(ParamType.DECIMAL, new BigDecimal(decimal)));
    }
    params.add(new Param(ParamType.DATE, LocalDate.of(2024, 2, 29)));
    params.add(new Param(ParamType.DATE, LocalDate.of(-44, 3, 15)));
    params.add(new Param(ParamType.TIME, LocalTime.of(23, 59, 59, 999_999_999)));
    params.add(new Param(ParamType.TIME, LocalTime.MIDNIGHT));
    params.add(new Param(ParamType.TIMESTAMP, LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_789)));
    params.add(new Param(ParamType.TIMESTAMP, LocalDateTime.of(10_000, 1, 1, 0, 0)));
    params.add(new Param(ParamType.LOCAL_DATE, LocalDate.of(1970, 1, 1)));
    params.add(new Param(ParamType.LOCAL_TIME, LocalTime.of(12, 30, 0, 1)));
    params.add(new Param(ParamType.LOCAL_DATE_TIME, LocalDateTime.of(1999, 12, 31, 23, 59, 30)));
    params.add(
        new Param(
            ParamType.OFFSET_DATE_TIME,
            OffsetDateTime.of(
                2024, 6, 1, 9, 30, 15, 500_000_000, ZoneOffset.ofHoursMinutes(5, 30))));
    params.add(
        new Param(
            ParamType.OFFSET_DATE_TIME,
            OffsetDateTime.of(2024, 6, 1, 4, 0, 15, 0, ZoneOffset.UTC)));
    params.add(new Param(ParamType.UUID, UUID.fromString("0190f5a2-3b4c-7d5e-8f60-718293a4b5c6")));
    params.add(new Param(ParamType.UUID, new UUID(0, 0)));
    params.add(new Param(ParamType.BYTES, new byte[0]));
    params.add(new Param(ParamType.BYTES, allByteValues()));
    params.add(new Param(ParamType.OTHER, "happy"));
    params.add(new Param(ParamType.OTHER, "{\"a\": [1, \"ü\"]}"));
    params.add(new Param(ParamType.OTHER, "192.168.0.1/24"));
    return List.copyOf(params);
  }

  /** The 256 byte values, from 0 up. */
  static byte[] allByteValues() {
    byte[] bytes = new byte[256];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) i;
    }
    return bytes;
  }
}
