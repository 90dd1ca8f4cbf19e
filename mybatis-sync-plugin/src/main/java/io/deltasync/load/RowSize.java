package io.deltasync.load;

import io.deltasync.conflict.Row;
import io.deltasync.delta.Param;
import java.math.BigDecimal;

/**
 * About how many bytes a row takes as a load sends it (each value as its type and text, the column
 * names once per chunk): what sizes a chunk by bytes.
 */
final class RowSize {

  /** A value's type name, quotes, brackets and commas. */
  private static final int PER_VALUE = 16;

  private RowSize() {}

  /** The row's bytes as a chunk sends them, roughly. */
  static long of(Row row) {
    long bytes = 2;
    for (Param param : row.values().values()) {
      bytes += PER_VALUE + valueBytes(param);
    }
    return bytes;
  }

  private static long valueBytes(Param param) {
    Object value = param.value();
    return switch (param.type()) {
      case NULL -> 8;
      case STRING, OTHER -> ((String) value).length();
      case BYTES -> (((byte[]) value).length + 2L) / 3 * 4; // base64
      case DECIMAL -> ((BigDecimal) value).precision() + 2L;
      default -> 32; // numbers, flags, dates and times, UUIDs: short texts
    };
  }
}
