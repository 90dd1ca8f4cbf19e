package io.deltasync.load.internal;

import io.deltasync.delta.NameFilter;
import io.deltasync.verify.internal.RangeReads;
import io.deltasync.verify.internal.TableShape;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The tables of a node's own schema that it replicates: what an initial load copies. */
public final class ReplicatedTables {

  private ReplicatedTables() {}

  /**
   * The base tables of the connection's current schema (catalog on MariaDB) that the filter
   * selects, lower case, in name order; DeltaSync's own {@code ds_*} tables and Liquibase's are
   * never among them.
   */
  public static List<String> of(Connection connection, NameFilter replicated) throws SQLException {
    DatabaseMetaData meta = connection.getMetaData();
    List<String> tables = new ArrayList<>();
    try (ResultSet rows =
        meta.getTables(
            connection.getCatalog(), connection.getSchema(), "%", new String[] {"TABLE"})) {
      while (rows.next()) {
        String name = rows.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
        if (!name.startsWith("ds_")
            && !name.startsWith("databasechangelog")
            && replicated.selects(name)
            && !tables.contains(name)) {
          tables.add(name);
        }
      }
    }
    tables.sort(null);
    return tables;
  }

  /**
   * How many rows each table holds as the connection's transaction sees them (one {@code COUNT(*)}
   * each), by table in the given order: what a load copies of each, when read in its snapshot.
   */
  public static Map<String, Long> rowCounts(Connection connection, Collection<TableShape> shapes)
      throws SQLException {
    Map<String, Long> rows = new LinkedHashMap<>();
    for (TableShape shape : shapes) {
      rows.put(shape.table(), RangeReads.count(connection, shape));
    }
    return rows;
  }
}
