package io.deltasync.delta.internal;

import io.deltasync.delta.Param;
import java.math.BigDecimal;
import java.util.Base64;

/** The text of a parameter value as it appears in a row key, the same on every node. */
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
}
