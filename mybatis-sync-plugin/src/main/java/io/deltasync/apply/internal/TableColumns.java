package io.deltasync.apply.internal;

import io.deltasync.capture.internal.TableSpellings;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The columns of a table, lower case, read once from the database's metadata per database and
 * table. Thread-safe.
 */
public final class TableColumns {

  private record Key(String url, String table) {}

  private final Map<Key, Set<String>> cache = new ConcurrentHashMap<>();

  /** The table's columns, lower case; empty when the database does not know the table. */
  public Set<String> of(Connection connection, String table) throws SQLException {
    DatabaseMetaData metaData = connection.getMetaData();
    String url = metaData.getURL();
    Key key = new Key(url == null ? "" : url, table);
    Set<String> columns = cache.get(key);
    if (columns == null) {
      columns = lookUp(connection, metaData, table);
      if (!columns.isEmpty()) {
        cache.put(key, columns);
      }
    }
    return columns;
  }

  private static Set<String> lookUp(Connection connection, DatabaseMetaData metaData, String table)
      throws SQLException {
    String catalog = connection.getCatalog();
    String schema = connection.getSchema();
    for (String spelling : TableSpellings.of(metaData, catalog, schema, table)) {
      for (String knownSchema :
          schema == null ? new String[] {null} : new String[] {schema, null}) {
        Set<String> columns = new LinkedHashSet<>();
        try (ResultSet rows = metaData.getColumns(catalog, knownSchema, spelling, "%")) {
          while (rows.next()) {
            columns.add(rows.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
          }
        }
        if (!columns.isEmpty()) {
          return Set.copyOf(columns);
        }
      }
    }
    return Set.of();
  }
}
