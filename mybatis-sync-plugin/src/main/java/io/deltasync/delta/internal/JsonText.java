package io.deltasync.delta.internal;

import io.deltasync.delta.Param;
import io.deltasync.delta.RowKey;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Writes a delta's parameter list and row key as JSON text directly, for the capture path, where
 * they are encoded once per captured statement. The text is exactly what {@link JsonOut}'s Jackson
 * generator writes (the same escapes, no spaces), which matters for row keys: stored keys are
 * compared as text.
 */
public final class JsonText {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private JsonText() {}

  /** The parameters as {@code [["TYPE",value],...]}. */
  public static String params(List<Param> params) {
    return params(new StringBuilder(16 + params.size() * 24), params).toString();
  }

  /** Appends the parameters as {@link #params(List)} writes them; returns {@code json}. */
  public static StringBuilder params(StringBuilder json, Collection<Param> params) {
    json.append('[');
    boolean first = true;
    for (Param param : params) {
      if (!first) {
        json.append(',');
      }
      first = false;
      param(json, param);
    }
    return json.append(']');
  }

  /** Appends one parameter as {@code ["TYPE",value]}; returns {@code json}. */
  public static StringBuilder param(StringBuilder json, Param param) {
    json.append("[\"").append(param.type().name()).append("\",");
    Object value = param.value();
    switch (param.type()) {
      case BOOLEAN -> json.append(((Boolean) value).booleanValue());
      case BYTE, SHORT, INT, LONG -> json.append(((Number) value).longValue());
      // base64 and date-times need no escapes: written as they are, without strings between
      case BYTES ->
          json.append('"').append(Base64.getEncoder().encodeToString((byte[]) value)).append('"');
      case DATE, LOCAL_DATE -> IsoText.date(json.append('"'), (LocalDate) value).append('"');
      case TIME, LOCAL_TIME -> IsoText.time(json.append('"'), (LocalTime) value).append('"');
      case TIMESTAMP, LOCAL_DATE_TIME ->
          IsoText.dateTime(json.append('"'), (LocalDateTime) value).append('"');
      default -> string(json, value.toString());
    }
    return json.append(']');
  }

  /** The row key as {@code {"column":"value",...}}, in the key's (sorted) column order. */
  public static String rowKey(RowKey rowKey) {
    StringBuilder json = new StringBuilder(32);
    json.append('{');
    boolean first = true;
    for (Map.Entry<String, String> entry : rowKey.values().entrySet()) {
      if (!first) {
        json.append(',');
      }
      first = false;
      string(json, entry.getKey());
      json.append(':');
      string(json, entry.getValue());
    }
    return json.append('}').toString();
  }

  /**
   * Appends a JSON string as Jackson's UTF-8 generator does: quotes, backslashes and control
   * characters escaped, and characters outside the BMP as their two escaped surrogates.
   */
  public static void string(StringBuilder json, String text) {
    json.append('"');
    int plainFrom = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
        continue;
      }
      json.append(text, plainFrom, i);
      plainFrom = i + 1;
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\b' -> json.append("\\b");
        case '\t' -> json.append("\\t");
        case '\n' -> json.append("\\n");
        case '\f' -> json.append("\\f");
        case '\r' -> json.append("\\r");
        default -> // other control characters, and each half of a surrogate pair
            json.append("\\u")
                .append(HEX[c >> 12])
                .append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF])
                .append(HEX[c & 0xF]);
      }
    }
    json.append(text, plainFrom, text.length()).append('"');
  }
}
