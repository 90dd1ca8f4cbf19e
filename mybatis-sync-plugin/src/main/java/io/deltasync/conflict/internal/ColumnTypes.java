package io.deltasync.conflict.internal;

import io.deltasync.delta.ParamType;
import java.math.BigDecimal;
import java.sql.JDBCType;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Which {@link ParamType} holds the values of a column of a given JDBC type, and back. Stateless.
 */
public final class ColumnTypes {

  private static final Map<Class<?>, ParamType> CLASSES =
      Map.ofEntries(
          Map.entry(String.class, ParamType.STRING),
          Map.entry(Boolean.class, ParamType.BOOLEAN),
          Map.entry(Byte.class, ParamType.BYTE),
          Map.entry(Short.class, ParamType.SHORT),
          Map.entry(Integer.class, ParamType.INT),
          Map.entry(Long.class, ParamType.LONG),
          Map.entry(Float.class, ParamType.FLOAT),
          Map.entry(Double.class, ParamType.DOUBLE),
          Map.entry(BigDecimal.class, ParamType.DECIMAL),
          Map.entry(LocalDate.class, ParamType.DATE),
          Map.entry(LocalTime.class, ParamType.TIME),
          Map.entry(LocalDateTime.class, ParamType.TIMESTAMP),
          Map.entry(OffsetDateTime.class, ParamType.OFFSET_DATE_TIME),
          Map.entry(UUID.class, ParamType.UUID),
          Map.entry(byte[].class, ParamType.BYTES));

  private ColumnTypes() {}

  /** The parameter type that holds values of this Java class, or null when none does. */
  public static ParamType ofClass(Class<?> valueClass) {
    return CLASSES.get(valueClass);
  }

  /**
   * The parameter type for a {@link JDBCType} name, e.g. {@code VARCHAR} to {@code STRING}; {@code
   * OTHER} for names it does not know.
   */
  public static ParamType of(String jdbcTypeName) {
    return switch (jdbcTypeName) {
      case "CHAR", "VARCHAR", "LONGVARCHAR", "NCHAR", "NVARCHAR", "LONGNVARCHAR", "CLOB", "NCLOB" ->
          ParamType.STRING;
      case "BOOLEAN", "BIT" -> ParamType.BOOLEAN;
      case "TINYINT", "SMALLINT" -> ParamType.SHORT;
      case "INTEGER" -> ParamType.INT;
      case "BIGINT" -> ParamType.LONG;
      case "REAL" -> ParamType.FLOAT;
      case "FLOAT", "DOUBLE" -> ParamType.DOUBLE;
      case "NUMERIC", "DECIMAL" -> ParamType.DECIMAL;
      case "DATE" -> ParamType.DATE;
      case "TIME" -> ParamType.TIME;
      case "TIMESTAMP" -> ParamType.TIMESTAMP;
      case "TIMESTAMP_WITH_TIMEZONE" -> ParamType.OFFSET_DATE_TIME;
      case "BINARY", "VARBINARY", "LONGVARBINARY", "BLOB" -> ParamType.BYTES;
      default -> ParamType.OTHER;
    };
  }

  /** The {@link JDBCType} name a null of a column holding values of this type is bound as. */
  public static String jdbcName(ParamType type) {
    return switch (type) {
      case NULL -> "NULL";
      case STRING -> "VARCHAR";
      case BOOLEAN -> "BOOLEAN";
      case BYTE -> "TINYINT";
      case SHORT -> "SMALLINT";
      case INT -> "INTEGER";
      case LONG -> "BIGINT";
      case FLOAT -> "REAL";
      case DOUBLE -> "DOUBLE";
      case DECIMAL -> "DECIMAL";
      case DATE, LOCAL_DATE -> "DATE";
      case TIME, LOCAL_TIME -> "TIME";
      case TIMESTAMP, LOCAL_DATE_TIME -> "TIMESTAMP";
      case OFFSET_DATE_TIME -> "TIMESTAMP_WITH_TIMEZONE";
      case BYTES -> "VARBINARY";
      // PostgreSQL refuses a null typed as anything else for uuid, json, enum, ... columns
      case UUID, OTHER -> "OTHER";
    };
  }

  /** The parameter type a result set column is read as. */
  public static ParamType of(ResultSetMetaData meta, int column) throws SQLException {
    String typeName = String.valueOf(meta.getColumnTypeName(column)).toLowerCase(Locale.ROOT);
    if (typeName.equals("uuid")) {
      return ParamType.UUID; // H2 reports BINARY, PostgreSQL and MariaDB OTHER
    }
    if (typeName.equals("timestamptz")) {
      return ParamType.OFFSET_DATE_TIME; // PostgreSQL reports TIMESTAMP
    }
    ParamType type = of(jdbcName(meta, column));
    if (type == ParamType.STRING && !isText(typeName)) {
      return ParamType.OTHER; // a PostgreSQL enum reports VARCHAR, but refuses a bound VARCHAR
    }
    if (type == ParamType.BOOLEAN && meta.getPrecision(column) > 1) {
      return ParamType.OTHER; // BIT(n) bit strings, not booleans
    }
    if (type == ParamType.TIME && typeName.equals("timetz")) {
      return ParamType.OTHER; // PostgreSQL reports TIME; its offset has no ParamType
    }
    return type;
  }

  /**
   * The {@link JDBCType} name of a null read from a result set column whose values are read as
   * {@code type}: the column's own JDBC type when it maps to that type, else the type's.
   */
  public static String nullName(ResultSetMetaData meta, int column, ParamType type)
      throws SQLException {
    String name = jdbcName(meta, column);
    return of(name) == type ? name : jdbcName(type);
  }

  private static String jdbcName(ResultSetMetaData meta, int column) throws SQLException {
    int sqlType = meta.getColumnType(column);
    try {
      return JDBCType.valueOf(sqlType).getName();
    } catch (IllegalArgumentException e) {
      return JDBCType.valueOf(Types.OTHER).getName(); // a vendor type code
    }
  }

  private static boolean isText(String typeName) {
    return typeName.contains("char")
        || typeName.contains("text")
        || typeName.contains("clob")
        || typeName.contains("json")
        || typeName.contains("string")
        || typeName.equals("name");
  }
}
