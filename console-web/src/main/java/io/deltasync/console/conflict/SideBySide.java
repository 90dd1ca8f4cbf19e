package io.deltasync.console.conflict;

import io.deltasync.conflict.ConflictRecord;
import io.deltasync.conflict.Row;
import io.deltasync.delta.Param;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A conflict's two sides, column by column, for the detail page: the hub's row, the incoming row,
 * and the row after resolution, with the columns where the two sides differ marked.
 *
 * @param columns one line per column, in the rows' column order
 */
public record SideBySide(List<Column> columns) {

  /**
   * One column of both rows.
   *
   * @param name the column, lower case
   * @param hub the hub's value as text; null when the hub has no row
   * @param incoming the incoming value as text; null when the incoming side has no row
   * @param result the value after resolution; null when open, deleted or unknown
   * @param differs whether hub and incoming hold different values
   */
  public record Column(String name, String hub, String incoming, String result, boolean differs) {}

  /** The sides of a recorded conflict. */
  public static SideBySide of(ConflictRecord conflict) {
    Set<String> names = new LinkedHashSet<>();
    for (Row row : new Row[] {conflict.hubRow(), conflict.incomingRow(), conflict.resultRow()}) {
      if (row != null) {
        names.addAll(row.columns());
      }
    }
    List<Column> columns = new ArrayList<>();
    for (String name : names) {
      String hub = text(conflict.hubRow(), name);
      String incoming = text(conflict.incomingRow(), name);
      columns.add(
          new Column(
              name,
              hub,
              incoming,
              text(conflict.resultRow(), name),
              !Objects.equals(hub, incoming)));
    }
    return new SideBySide(columns);
  }

  /** The names of the columns that differ. */
  public List<String> differing() {
    return columns.stream().filter(Column::differs).map(Column::name).toList();
  }

  /**
   * A value as text that {@link Row#withText} reads back: ISO-8601 for temporals, base64 for bytes,
   * plain digits for decimals; {@code NULL} for SQL null.
   */
  public static String text(Param param) {
    if (param == null) {
      return null;
    }
    if (param.isNull()) {
      return "NULL";
    }
    Object value = param.value();
    if (value instanceof byte[] bytes) {
      return Base64.getEncoder().encodeToString(bytes);
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.toPlainString();
    }
    return value.toString();
  }

  private static String text(Row row, String column) {
    return row == null ? null : text(row.param(column));
  }
}
