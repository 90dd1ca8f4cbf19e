package io.deltasync.delta.internal;

import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.UUID;
import java.util.function.Function;

/**
 * Parameter values as text: the canonical text of a row key, the same on every node, and the value
 * a text stands for, as the wire format and a form's input give it. Stateless.
 */
public final class ParamText {

  private ParamText() {}

  /** A canonical text for the value: numbers without trailing zeros, bytes as base64. */
  public static String of(Param param) {
    Object value = param.value();
    if (value instanceof BigDecimal decimal) {
      return decimal.signum() == 0 ? "0" : decimal.stripTrailingZeros().toPlainString();
    }
    if (value instanceof byte[] bytes) {
      return Base64.getEncoder().encodeToString(bytes);
    }
    return value.toString();
  }

  /**
   * The value a text stands for, as an instance of the type's {@link ParamType#valueClass()}; reads
   * what {@link #of} writes. Booleans are {@code true} or {@code false}, temporal values ISO-8601,
   * bytes base64; for {@code NULL}, {@code STRING} and {@code OTHER} the text itself.
   *
   * @throws IllegalArgumentException when the text is not a value of the type
   */
  public static Object parse(ParamType type, String text) {
    try {
      return switch (type) {
        case NULL, STRING, OTHER -> text;
        case BOOLEAN -> parseBoolean(text);
        case BYTE -> Byte.valueOf(text);
        case SHORT -> Short.valueOf(text);
        case INT -> Integer.valueOf(text);
        case LONG -> Long.valueOf(text);
        case FLOAT -> Float.valueOf(text);
        case DOUBLE -> Double.valueOf(text);
        case DECIMAL -> new BigDecimal(text);
        case DATE, LOCAL_DATE -> orElse(IsoTimes.date(text), text, LocalDate::parse);
        case TIME, LOCAL_TIME -> orElse(IsoTimes.time(text), text, LocalTime::parse);
        case TIMESTAMP, LOCAL_DATE_TIME ->
            orElse(IsoTimes.dateTime(text), text, LocalDateTime::parse);
        case OFFSET_DATE_TIME -> OffsetDateTime.parse(text);
        case UUID -> UUID.fromString(text);
        case BYTES -> Base64.getDecoder().decode(text);
      };
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static Object orElse(Object fast, String text, Function<String, Object> parser) {
    return fast != null ? fast : parser.apply(text);
  }

  private static Boolean parseBoolean(String text) {
    // Boolean.valueOf would read any typo as false
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return Boolean.valueOf(text);
    }
    throw new IllegalArgumentException("expected true or false, but was '" + text + "'");
  }
}
