package io.deltasync.apply.internal;

import io.deltasync.delta.Param;
import java.math.BigDecimal;
import java.sql.JDBCType;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collection;

/**
 * Binds recorded parameters with the JDBC setter of each one's type, as the origin's were bound;
 * dates and times as their {@code java.time} values.
 */
public final class ParamBinder {

  private ParamBinder() {}

  /** Binds all parameters, in placeholder order. */
  public static void bind(PreparedStatement statement, Collection<Param> params)
      throws SQLException {
    int index = 1;
    for (Param param : params) {
      bind(statement, index++, param);
    }
  }

  /** Binds one parameter at its placeholder (from 1). */
  public static void bind(PreparedStatement statement, int index, Param param) throws SQLException {
    Object value = param.value();
    switch (param.type()) {
      case NULL -> statement.setNull(index, sqlType((String) value));
      case STRING -> statement.setString(index, (String) value);
      case BOOLEAN -> statement.setBoolean(index, (Boolean) value);
      case BYTE -> statement.setByte(index, (Byte) value);
      case SHORT -> statement.setShort(index, (Short) value);
      case INT -> statement.setInt(index, (Integer) value);
      case LONG -> statement.setLong(index, (Long) value);
      case FLOAT -> statement.setFloat(index, (Float) value);
      case DOUBLE -> statement.setDouble(index, (Double) value);
      case DECIMAL -> statement.setBigDecimal(index, (BigDecimal) value);
      // as what they are: java.sql's types shift a date before 1582 by days (their calendar is
      // Julian there), drop a time's fraction of a second, and move a wall time in a daylight
      // saving gap of the JVM's zone
      case DATE, TIME, TIMESTAMP -> statement.setObject(index, value);
      case BYTES -> statement.setBytes(index, (byte[]) value);
      case OTHER -> statement.setObject(index, value, Types.OTHER);
      default -> statement.setObject(index, value);
    }
  }

  private static int sqlType(String jdbcTypeName) {
    try {
      return JDBCType.valueOf(jdbcTypeName).getVendorTypeNumber();
    } catch (IllegalArgumentException e) {
      return Types.OTHER;
    }
  }
}
