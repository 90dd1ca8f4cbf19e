package io.deltasync.delta;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;

/**
 * How a parameter was bound to the JDBC statement, and so how it is bound again when the delta is
 * applied. Each type names the Java class its {@link Param#value()} holds.
 */
public enum ParamType {
  /**
   * {@code setNull}; the value is the {@link java.sql.JDBCType} name of the null, e.g. "VARCHAR".
   */
  NULL(String.class),
  STRING(String.class),
  BOOLEAN(Boolean.class),
  BYTE(Byte.class),
  SHORT(Short.class),
  INT(Integer.class),
  LONG(Long.class),
  FLOAT(Float.class),
  DOUBLE(Double.class),
  DECIMAL(BigDecimal.class),
  /** {@code setDate}: a date without zone. */
  DATE(LocalDate.class),
  /** {@code setTime}: a time without zone. */
  TIME(LocalTime.class),
  /** {@code setTimestamp}: a JDBC timestamp, a local date-time without zone. */
  TIMESTAMP(LocalDateTime.class),
  /** {@code setObject(LocalDate)}. */
  LOCAL_DATE(LocalDate.class),
  /** {@code setObject(LocalTime)}. */
  LOCAL_TIME(LocalTime.class),
  /** {@code setObject(LocalDateTime)}. */
  LOCAL_DATE_TIME(LocalDateTime.class),
  /** {@code setObject(OffsetDateTime)}: a timestamp with its offset. */
  OFFSET_DATE_TIME(OffsetDateTime.class),
  /** {@code setObject(UUID)}. */
  UUID(java.util.UUID.class),
  /** {@code setBytes}, or a binary stream read to its end. */
  BYTES(byte[].class),
  /**
   * {@code setObject(i, text, Types.OTHER)}: a value of a database-specific type given as text,
   * such as a PostgreSQL enum, {@code json} or {@code inet} bound with {@code jdbcType=OTHER};
   * replayed the same way, so the target database must know the type too.
   */
  OTHER(String.class);

  private final Class<?> valueClass;

  ParamType(Class<?> valueClass) {
    this.valueClass = valueClass;
  }

  /** The Java class of values of this type. */
  public Class<?> valueClass() {
    return valueClass;
  }
}
