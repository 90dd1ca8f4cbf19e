package io.deltasync.conflict.internal;

import io.deltasync.capture.internal.TableSpellings;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A table's and its columns' names as the database knows them, quoted, for the SQL that DeltaSync
 * writes itself (reading the hub's row, upserting a row image): deltas name tables and columns in
 * lower case, while MariaDB with {@code lower_case_table_names=0} keeps {@code INVENTORY} as
 * created, PostgreSQL keeps a quoted {@code "Item"}, and H2 folds unquoted names to upper case. A
 * name the catalog does not know is written as it came (plain, checked by {@link Dialect}).
 * Thread-safe; read once per database and table.
 *
 * @param table the table as SQL should name it
 * @param columns lower-case column name to the column as SQL should name it
 */
public record Names(String table, Map<String, String> columns) {

  private static final Map<String, Names> CACHE = new ConcurrentHashMap<>();

  /** The names of the table, a plain lower-case name, optionally qualified. */
  public static Names of(Connection connection, String table) throws SQLException {
    String plain = Dialect.table(table);
    DatabaseMetaData metaData = connection.getMetaData();
    String key = metaData.getURL() + " " + plain;
    Names names = CACHE.get(key);
    if (names == null) {
      names = lookUp(connection, metaData, plain);
      CACHE.put(key, names);
    }
    return names;
  }

  /**
   * The column as SQL should name it; checked as a plain name when the catalog does not know it.
   */
  public String column(String column) {
    String found = columns.get(column.toLowerCase(Locale.ROOT));
    return found != null ? found : Dialect.columns(List.of(column), "column").get(0);
  }

  /** The columns as SQL should name them, in order. */
  public List<String> columns(List<String> names) {
    return names.stream().map(this::column).toList();
  }

  private static Names lookUp(Connection connection, DatabaseMetaData metaData, String plain)
      throws SQLException {
    int dot = plain.lastIndexOf('.');
    String schemaPart = dot < 0 ? null : plain.substring(0, dot);
    String name = plain.substring(dot + 1);
    String quote = Dialect.of(connection) == Dialect.MARIADB ? "`" : "\"";
    String catalog = connection.getCatalog();
    String schema = schemaPart != null ? null : connection.getSchema();
    Set<String> spellings = TableSpellings.inCatalog(metaData, catalog, schema, name);
    if (spellings.isEmpty() && schema != null) {
      spellings = TableSpellings.inCatalog(metaData, catalog, null, name);
    }
    if (spellings.size() != 1) {
      return new Names(plain, Map.of()); // unknown or ambiguous: as it came
    }
    String spelled = spellings.iterator().next();
    Map<String, String> columns = new HashMap<>();
    try (ResultSet rows = metaData.getColumns(catalog, schema, spelled, "%")) {
      while (rows.next()) {
        String column = rows.getString("COLUMN_NAME");
        if (column.chars().allMatch(c -> c < 0x80 && c != quote.charAt(0))) {
          columns.put(column.toLowerCase(Locale.ROOT), quote + column + quote);
        }
      }
    }
    String table = quote + spelled + quote;
    return new Names(schemaPart == null ? table : schemaPart + "." + table, Map.copyOf(columns));
  }
}
