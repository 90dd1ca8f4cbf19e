package io.deltasync.capture.internal;

import io.deltasync.capture.DeltaCaptureException;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.JDBCType;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.ibatis.mapping.BoundSql;
import org.apache.ibatis.mapping.MappedStatement;
import org.apache.ibatis.type.JdbcType;
import org.apache.ibatis.type.TypeHandler;

/**
 * Records what a statement's parameter handler binds, by handing it a {@link PreparedStatement}
 * that only notes each {@code setXxx} call. Values are thus read exactly as MyBatis binds them,
 * custom type handlers included.
 */
public final class ParamRecorder implements InvocationHandler {

  private final String statementId;
  private final TreeMap<Integer, Param> params = new TreeMap<>();

  private ParamRecorder(String statementId) {
    this.statementId = statementId;
  }

  /** The parameters MyBatis binds for this statement and parameter object, in placeholder order. */
  public static List<Param> record(
      MappedStatement statement, Object parameterObject, BoundSql boundSql) {
    ParamRecorder recorder = new ParamRecorder(statement.getId());
    try {
      statement
          .getLang()
          .createParameterHandler(statement, parameterObject, boundSql)
          .setParameters(recorder.proxy());
    } catch (SQLException | RuntimeException e) {
      // type handlers wrap what we throw; surface our own message
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof DeltaCaptureException capture) {
          throw capture;
        }
      }
      throw new DeltaCaptureException(
          "could not record the parameters of " + statement.getId() + ": " + e, e);
    }
    return recorder.inOrder();
  }

  /** The parameter one type handler binds for a value, e.g. a generated key. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Param recordValue(String statementId, TypeHandler handler, Object value) {
    ParamRecorder recorder = new ParamRecorder(statementId);
    try {
      handler.setParameter(recorder.proxy(), 1, value, value == null ? JdbcType.OTHER : null);
    } catch (SQLException e) {
      throw new DeltaCaptureException(
          "could not record a value of " + statementId + ": " + e.getMessage(), e);
    }
    return recorder.inOrder().get(0);
  }

  private PreparedStatement proxy() {
    return (PreparedStatement)
        Proxy.newProxyInstance(
            PreparedStatement.class.getClassLoader(),
            new Class<?>[] {PreparedStatement.class},
            this);
  }

  private List<Param> inOrder() {
    List<Param> ordered = new ArrayList<>(params.size());
    int expected = 1;
    for (var entry : params.entrySet()) {
      if (entry.getKey() != expected++) {
        throw new DeltaCaptureException(
            "parameter " + (expected - 1) + " of " + statementId + " was never bound");
      }
      ordered.add(entry.getValue());
    }
    return ordered;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws IOException {
    String name = method.getName();
    switch (name) {
      case "toString":
        return "parameter recorder for " + statementId;
      case "hashCode":
        return System.identityHashCode(proxy);
      case "equals":
        return proxy == args[0];
      default:
        break;
    }
    if (!name.startsWith("set")
        || args == null
        || args.length < 2
        || !(args[0] instanceof Integer)) {
      throw unsupported(method);
    }
    int index = (Integer) args[0];
    Object value = args[1];
    Param param =
        switch (name) {
          case "setNull" -> Param.nullOf(jdbcTypeName((Integer) value));
          case "setObject" -> {
            if (args.length >= 3 && value == null) {
              yield Param.nullOf(jdbcTypeName(sqlType(args[2])));
            }
            // text of a database-specific type (PostgreSQL enum, json, ...): replayed the same way
            yield args.length == 3 && value instanceof String && isOther(args[2])
                ? new Param(ParamType.OTHER, value)
                : ofObject(value, method);
          }
          default -> value == null ? Param.nullOf(nullTypeOf(name)) : ofSetter(name, value, method);
        };
    params.put(index, param);
    return null;
  }

  private Param ofSetter(String setter, Object value, Method method) throws IOException {
    return switch (setter) {
      case "setString", "setNString" -> new Param(ParamType.STRING, value);
      case "setBoolean" -> new Param(ParamType.BOOLEAN, value);
      case "setByte" -> new Param(ParamType.BYTE, value);
      case "setShort" -> new Param(ParamType.SHORT, value);
      case "setInt" -> new Param(ParamType.INT, value);
      case "setLong" -> new Param(ParamType.LONG, value);
      case "setFloat" -> new Param(ParamType.FLOAT, value);
      case "setDouble" -> new Param(ParamType.DOUBLE, value);
      case "setBigDecimal" -> new Param(ParamType.DECIMAL, value);
      case "setBytes" -> new Param(ParamType.BYTES, value);
      case "setDate" -> new Param(ParamType.DATE, ((java.sql.Date) value).toLocalDate());
      case "setTime" -> new Param(ParamType.TIME, localTime((java.sql.Time) value));
      case "setTimestamp" ->
          new Param(ParamType.TIMESTAMP, ((java.sql.Timestamp) value).toLocalDateTime());
      case "setBinaryStream", "setBlob" ->
          value instanceof InputStream in
              ? new Param(ParamType.BYTES, in.readAllBytes())
              : fromBlob(value, method);
      case "setCharacterStream", "setNCharacterStream", "setClob", "setNClob" ->
          value instanceof Reader reader
              ? new Param(ParamType.STRING, readAll(reader))
              : fromClob(value, method);
      case "setAsciiStream" ->
          new Param(
              ParamType.STRING,
              new String(((InputStream) value).readAllBytes(), StandardCharsets.US_ASCII));
      default -> throw unsupported(method);
    };
  }

  /**
   * The time with its milliseconds, which the driver stores in a column with fractions of a second
   * and {@link java.sql.Time#toLocalTime} drops.
   */
  private static LocalTime localTime(java.sql.Time time) {
    return time.toLocalTime().withNano((int) Math.floorMod(time.getTime(), 1000L) * 1_000_000);
  }

  private Param ofObject(Object value, Method method) {
    if (value instanceof String) {
      return new Param(ParamType.STRING, value);
    } else if (value instanceof Character c) {
      return new Param(ParamType.STRING, c.toString());
    } else if (value instanceof Boolean) {
      return new Param(ParamType.BOOLEAN, value);
    } else if (value instanceof Byte) {
      return new Param(ParamType.BYTE, value);
    } else if (value instanceof Short) {
      return new Param(ParamType.SHORT, value);
    } else if (value instanceof Integer) {
      return new Param(ParamType.INT, value);
    } else if (value instanceof Long) {
      return new Param(ParamType.LONG, value);
    } else if (value instanceof Float) {
      return new Param(ParamType.FLOAT, value);
    } else if (value instanceof Double) {
      return new Param(ParamType.DOUBLE, value);
    } else if (value instanceof BigDecimal) {
      return new Param(ParamType.DECIMAL, value);
    } else if (value instanceof BigInteger big) {
      return new Param(ParamType.DECIMAL, new BigDecimal(big));
    } else if (value instanceof java.sql.Timestamp ts) {
      return new Param(ParamType.TIMESTAMP, ts.toLocalDateTime());
    } else if (value instanceof java.sql.Date date) {
      return new Param(ParamType.DATE, date.toLocalDate());
    } else if (value instanceof java.sql.Time time) {
      return new Param(ParamType.TIME, localTime(time));
    } else if (value instanceof java.util.Date date) {
      return new Param(
          ParamType.TIMESTAMP, new java.sql.Timestamp(date.getTime()).toLocalDateTime());
    } else if (value instanceof LocalDate) {
      return new Param(ParamType.LOCAL_DATE, value);
    } else if (value instanceof LocalTime) {
      return new Param(ParamType.LOCAL_TIME, value);
    } else if (value instanceof LocalDateTime) {
      return new Param(ParamType.LOCAL_DATE_TIME, value);
    } else if (value instanceof OffsetDateTime) {
      return new Param(ParamType.OFFSET_DATE_TIME, value);
    } else if (value instanceof ZonedDateTime zoned) {
      return new Param(ParamType.OFFSET_DATE_TIME, zoned.toOffsetDateTime());
    } else if (value instanceof Instant instant) {
      return new Param(ParamType.OFFSET_DATE_TIME, instant.atOffset(ZoneOffset.UTC));
    } else if (value instanceof UUID) {
      return new Param(ParamType.UUID, value);
    } else if (value instanceof byte[]) {
      return new Param(ParamType.BYTES, value);
    } else if (value instanceof Enum<?> e) {
      return new Param(ParamType.STRING, e.name());
    }
    throw new DeltaCaptureException(
        "a parameter of "
            + statementId
            + " is a "
            + value.getClass().getName()
            + " bound with "
            + method.getName()
            + ", which DeltaSync cannot record; bind it through a type handler that uses a"
            + " standard JDBC type, or exclude the statement from capture");
  }

  private Param fromBlob(Object value, Method method) {
    try {
      java.sql.Blob blob = (java.sql.Blob) value;
      return new Param(ParamType.BYTES, blob.getBytes(1, (int) blob.length()));
    } catch (SQLException | ClassCastException e) {
      throw unsupported(method);
    }
  }

  private Param fromClob(Object value, Method method) throws IOException {
    try {
      return new Param(ParamType.STRING, readAll(((java.sql.Clob) value).getCharacterStream()));
    } catch (SQLException | ClassCastException e) {
      throw unsupported(method);
    }
  }

  private static String readAll(Reader reader) throws IOException {
    StringBuilder text = new StringBuilder();
    char[] buffer = new char[8192];
    for (int n; (n = reader.read(buffer)) > 0; ) {
      text.append(buffer, 0, n);
    }
    return text.toString();
  }

  private static int sqlType(Object arg) {
    return arg instanceof Integer type ? type : Types.OTHER;
  }

  private static boolean isOther(Object sqlType) {
    return Integer.valueOf(Types.OTHER).equals(sqlType) || sqlType == JDBCType.OTHER;
  }

  private static String jdbcTypeName(int sqlType) {
    try {
      return JDBCType.valueOf(sqlType).getName();
    } catch (IllegalArgumentException e) {
      return JDBCType.OTHER.getName();
    }
  }

  private static String nullTypeOf(String setter) {
    return switch (setter) {
      case "setString", "setNString", "setCharacterStream", "setClob" -> "VARCHAR";
      case "setBoolean" -> "BOOLEAN";
      case "setInt" -> "INTEGER";
      case "setLong" -> "BIGINT";
      case "setBigDecimal" -> "DECIMAL";
      case "setDate" -> "DATE";
      case "setTime" -> "TIME";
      case "setTimestamp" -> "TIMESTAMP";
      case "setBytes", "setBinaryStream", "setBlob" -> "VARBINARY";
      default -> "OTHER";
    };
  }

  private DeltaCaptureException unsupported(Method method) {
    return new DeltaCaptureException(
        "a parameter of "
            + statementId
            + " is bound with PreparedStatement."
            + method.getName()
            + ", which DeltaSync cannot record; use a type handler that binds a standard JDBC"
            + " type, or exclude the statement from capture");
  }
}
