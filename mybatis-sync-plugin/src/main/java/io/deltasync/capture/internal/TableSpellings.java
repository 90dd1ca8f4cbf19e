package io.deltasync.capture.internal;

import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The spellings under which a database's metadata may know a table that deltas name in lower case:
 * as written, in upper case (H2 folds unquoted names up), and any spelling the catalog holds that
 * equals it ignoring the case of ASCII letters (MariaDB with {@code lower_case_table_names=0} keeps
 * {@code Inventory} as created). Never Unicode case folding, under which {@code tıcket} would be
 * {@code ticket}. Stateless.
 */
public final class TableSpellings {

  private TableSpellings() {}

  /** The spellings to look the table up by, most likely first. */
  public static List<String> of(
      DatabaseMetaData metaData, String catalog, String schema, String table) throws SQLException {
    Set<String> spellings = new LinkedHashSet<>();
    spellings.add(table);
    spellings.add(table.toUpperCase(Locale.ROOT));
    for (String knownSchema : schema == null ? new String[] {null} : new String[] {schema, null}) {
      try (ResultSet rows = metaData.getTables(catalog, knownSchema, "%", null)) {
        while (rows.next()) {
          String name = rows.getString("TABLE_NAME");
          if (name != null && equalsIgnoreAsciiCase(name, table)) {
            spellings.add(name);
          }
        }
      }
      if (spellings.size() > 2) {
        break;
      }
    }
    return new ArrayList<>(spellings);
  }

  /**
   * The names of the tables the catalog holds under the schema (or any schema, when null) that
   * equal the table's name ignoring the case of ASCII letters: more than one means that the
   * database tells apart names DeltaSync cannot (a quoted {@code "Note"} beside {@code note}, or
   * MariaDB's case-sensitive names).
   */
  public static Set<String> inCatalog(
      DatabaseMetaData metaData, String catalog, String schema, String table) throws SQLException {
    Set<String> found = new LinkedHashSet<>();
    try (ResultSet rows = metaData.getTables(catalog, schema, "%", null)) {
      while (rows.next()) {
        String name = rows.getString("TABLE_NAME");
        if (name != null && equalsIgnoreAsciiCase(name, table)) {
          found.add(name);
        }
      }
    }
    return found;
  }

  /** Whether the two names are equal when ASCII letters are compared without case. */
  public static boolean equalsIgnoreAsciiCase(String a, String b) {
    if (a.length() != b.length()) {
      return false;
    }
    for (int i = 0; i < a.length(); i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y && lower(x) != lower(y)) {
        return false;
      }
    }
    return true;
  }

  private static char lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }
}
