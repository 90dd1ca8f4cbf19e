package io.deltasync.delta;

import java.util.Arrays;
import java.util.Objects;

/**
 * One bound statement parameter: how it was bound and its value.
 *
 * @param type how the value was bound; never null
 * @param value the value, an instance of {@link ParamType#valueClass()}; for {@link ParamType#NULL}
 *     the JDBC type name of the null
 */
public record Param(ParamType type, Object value) {

  public Param {
    Objects.requireNonNull(type, "type");
    if (value == null) {
      throw new IllegalArgumentException("a " + type + " parameter needs a value, but was null");
    }
    if (!type.valueClass().isInstance(value)) {
      throw new IllegalArgumentException(
          "a "
              + type
              + " parameter holds a "
              + type.valueClass().getSimpleName()
              + ", but was "
              + value.getClass().getName());
    }
    if (value instanceof byte[] bytes) {
      value = bytes.clone();
    }
  }

  /** A typed null, e.g. {@code Param.nullOf("VARCHAR")}. */
  public static Param nullOf(String jdbcTypeName) {
    return new Param(ParamType.NULL, jdbcTypeName);
  }

  /** Whether this parameter is a (typed) SQL null. */
  public boolean isNull() {
    return type == ParamType.NULL;
  }

  @Override
  public Object value() {
    return value instanceof byte[] bytes ? bytes.clone() : value;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Param that
        && type == that.type
        && (value instanceof byte[] a && that.value instanceof byte[] b
            ? Arrays.equals(a, b)
            : value.equals(that.value));
  }

  @Override
  public int hashCode() {
    return 31 * type.hashCode()
        + (value instanceof byte[] bytes ? Arrays.hashCode(bytes) : value.hashCode());
  }

  @Override
  public String toString() {
    return type + ":" + (value instanceof byte[] bytes ? bytes.length + " bytes" : value);
  }
}
