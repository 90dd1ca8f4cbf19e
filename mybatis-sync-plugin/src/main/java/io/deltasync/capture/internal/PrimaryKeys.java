package io.deltasync.capture.internal;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Primary-key columns per table, read once from the database's metadata. Thread-safe.
 *
 * <p>One interceptor can serve several data sources (Spring registers it on every
 * SqlSessionFactory), so the cache is keyed by the database's JDBC URL as well as the table.
 */
public final class PrimaryKeys {

  private record Key(String url, String table) {}

  private final Map<Key, List<String>> cache = new ConcurrentHashMap<>();

  /** The table's primary-key columns in key order, lower case; empty when it has none. */
  public List<String> of(Connection connection, String table) throws SQLException {
    String url = connection.getMetaData().getURL();
    Key key = new Key(url == null ? "" : url, table);
    List<String> columns = cache.get(key);
    if (columns == null) {
      columns = lookUp(connection, table);
      cache.put(key, columns);
    }
    return columns;
  }

  private static List<String> lookUp(Connection connection, String table) throws SQLException {
    DatabaseMetaData metaData = connection.getMetaData();
    String schema = connection.getSchema();
    for (String spelling : TableSpellings.of(metaData, connection.getCatalog(), schema, table)) {
      List<String> columns = columns(metaData, connection.getCatalog(), schema, spelling);
      if (columns.isEmpty() && schema != null) {
        columns = columns(metaData, connection.getCatalog(), null, spelling);
      }
      if (!columns.isEmpty()) {
        return columns;
      }
    }
    return List.of();
  }

  private static List<String> columns(
      DatabaseMetaData metaData, String catalog, String schema, String table) throws SQLException {
    TreeMap<Short, String> byPosition = new TreeMap<>();
    try (ResultSet rows = metaData.getPrimaryKeys(catalog, schema, table)) {
      while (rows.next()) {
        byPosition.put(
            rows.getShort("KEY_SEQ"), rows.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
      }
    }
    return List.copyOf(new ArrayList<>(byPosition.values()));
  }
}
