package io.deltasync.load.internal;

import io.deltasync.delta.NameFilter;
import io.deltasync.load.LoadException;
import io.deltasync.verify.VerifyException;
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

  /**
   * The shapes of the tables the filter selects ({@link #of}), by table in name order; refuses,
   * naming them all, the tables without a primary key, which a load cannot copy.
   *
   * @param cannot what the node cannot do, with {@code %s} for the tables' names (e.g. {@code
   *     "cannot load %s from hub"})
   * @throws LoadException naming the tables without a primary key
   */
  public static Map<String, TableShape> shapes(
      Connection connection, NameFilter replicated, String cannot) throws SQLException {
    Map<String, TableShape> shapes = new LinkedHashMap<>();
    List<String> refused = new ArrayList<>();
    for (String table : of(connection, replicated)) {
      try {
        shapes.put(table, TableShape.of(connection, table, replicated));
      } catch (VerifyException e) {
        refused.add(table);
      }
    }
    if (!refused.isEmpty()) {
      throw new LoadException(
          cannot.formatted(String.join(", ", refused))
              + ": no primary key (a load copies rows in chunks by primary key and upserts them"
              + " by it); add one, or leave "
              + (refused.size() == 1 ? "it" : "them")
              + " out of the replicated tables (deltasync.capture.exclude-tables)");
    }
    return shapes;
  }
}
