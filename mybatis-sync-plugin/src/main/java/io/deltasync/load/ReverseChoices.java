package io.deltasync.load;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which {@link ReverseChoice} a client's reverse load makes for each table. Immutable.
 *
 * <p>Reverse load is on when a default is set or any table is listed; a table not listed takes the
 * default, or {@link ReverseChoice#REFUSE} when there is none, so that turning it on for one table
 * never overwrites another table's rows on either side.
 *
 * @param defaultChoice the choice of tables not listed, or null for none
 * @param tables choice per table, names compared in lower case
 */
public record ReverseChoices(ReverseChoice defaultChoice, Map<String, ReverseChoice> tables) {

  /** No reverse load: a client that already holds rows takes deltas only. */
  public static final ReverseChoices NONE = new ReverseChoices(null, Map.of());

  public ReverseChoices {
    TreeMap<String, ReverseChoice> lower = new TreeMap<>();
    (tables == null ? Map.<String, ReverseChoice>of() : tables)
        .forEach(
            (table, choice) -> {
              if (table == null || table.isBlank() || choice == null) {
                throw new IllegalArgumentException(
                    "a reverse-load choice needs a table and a choice, but was "
                        + table
                        + "="
                        + choice);
              }
              lower.put(table.toLowerCase(Locale.ROOT), choice);
            });
    tables = Map.copyOf(lower);
  }

  /** The same choice for every table. */
  public static ReverseChoices all(ReverseChoice choice) {
    return new ReverseChoices(choice, Map.of());
  }

  /** Whether a client that already holds rows sends them to its hub before its initial load. */
  public boolean enabled() {
    return defaultChoice != null || !tables.isEmpty();
  }

  /** The table's choice. */
  public ReverseChoice of(String table) {
    ReverseChoice choice = tables.get(table.toLowerCase(Locale.ROOT));
    if (choice != null) {
      return choice;
    }
    return defaultChoice == null ? ReverseChoice.REFUSE : defaultChoice;
  }
}
