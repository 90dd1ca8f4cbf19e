package io.deltasync.console.conflict;

import io.deltasync.conflict.ConflictRecord;
import io.deltasync.conflict.Resolution;
import io.deltasync.conflict.Row;
import java.util.Locale;
import java.util.Map;

/**
 * An admin's decision on an open conflict as a form or the API sends it, and the {@link Resolution}
 * it makes.
 *
 * @param kind keep-hub, take-incoming, custom or delete
 * @param values for custom: column to text as {@link Row#withText} reads it ({@code NULL} for SQL
 *     null); columns not given keep the hub's value
 */
public record Decision(String kind, Map<String, String> values) {

  /** The decisions an admin can take. */
  public static final String KEEP_HUB = "keep-hub";

  public static final String TAKE_INCOMING = "take-incoming";
  public static final String CUSTOM = "custom";
  public static final String DELETE = "delete";

  public Decision {
    kind = kind == null ? "" : kind.trim().toLowerCase(Locale.ROOT);
    values = values == null ? Map.of() : Map.copyOf(values);
  }

  /**
   * The resolution for the conflict.
   *
   * @throws IllegalArgumentException for an unknown decision, or custom values that do not fit
   */
  public Resolution resolution(ConflictRecord conflict) {
    return switch (kind) {
      case KEEP_HUB -> Resolution.keepHub();
      case TAKE_INCOMING -> Resolution.takeIncoming();
      case DELETE -> Resolution.delete();
      case CUSTOM -> Resolution.row(customRow(conflict));
      default ->
          throw new IllegalArgumentException(
              "a decision must be keep-hub, take-incoming, custom or delete, but was '"
                  + kind
                  + "'");
    };
  }

  /** The custom row: the hub's row (or the incoming one when the hub has none) with the values. */
  public Row customRow(ConflictRecord conflict) {
    Row row = conflict.hubRow() != null ? conflict.hubRow() : conflict.incomingRow();
    if (row == null) {
      throw new IllegalArgumentException(
          "conflict " + conflict.id() + " has no row to start custom values from");
    }
    for (Map.Entry<String, String> value : values.entrySet()) {
      String text = value.getValue();
      row = row.withText(value.getKey(), "NULL".equals(text) ? null : text);
    }
    return row;
  }
}
