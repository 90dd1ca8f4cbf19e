package io.deltasync.apply.internal;

import io.deltasync.apply.DeltaValidator;
import io.deltasync.capture.internal.PrimaryKeys;
import io.deltasync.capture.internal.TableSpellings;
import io.deltasync.conflict.internal.RowImages;
import io.deltasync.delta.Delta;
import io.deltasync.delta.Kind;
import io.deltasync.delta.RowKey;
import io.deltasync.delta.internal.SqlShape;
import io.deltasync.delta.internal.SqlShapes;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a receiving node checks of a delta beyond {@link DeltaValidator}, trusting nothing its
 * sender declares: the origin must be the sender unless the sender is this node's upstream or a
 * relay; row images come only from those; the declared table and row key must be those the SQL
 * writes (derived from the SQL, the parameters and the table's real primary key); a row image must
 * name columns its table has; no table may be one the database holds under two spellings that
 * differ only in case. Thread-safe; metadata is read once per database and table.
 */
public final class SenderChecks {

  private final DeltaValidator validator;
  private final String upstream;
  private final Set<String> relays;
  private final SqlShapes shapes = new SqlShapes();
  private final PrimaryKeys primaryKeys = new PrimaryKeys();
  private final TableColumns tableColumns = new TableColumns();
  private final Map<String, Set<String>> spellings = new ConcurrentHashMap<>();

  /**
   * @param upstream this node's hub; null when it has none
   * @param relays senders that may pass on other origins' deltas and row images besides it
   */
  public SenderChecks(DeltaValidator validator, String upstream, Set<String> relays) {
    this.validator = validator;
    this.upstream = upstream;
    this.relays = Set.copyOf(relays);
  }

  /**
   * Why the node must not run the delta its sender sent, or empty when it may.
   *
   * @param pulled whether this node fetched the batch itself from the sender, which then serves as
   *     its upstream
   */
  public Optional<String> problemWith(
      Connection connection, Delta delta, String sender, boolean pulled) throws SQLException {
    Optional<String> problem = problemWith(delta, sender, pulled);
    if (problem.isEmpty()) {
      SqlShape shape = shapes.of(delta.sql());
      problem = declaredProblem(connection, delta, shape, rowKey(connection, shape, delta));
    }
    return problem;
  }

  /** The delta with its table and row key as derived from its SQL. */
  public Delta derived(Connection connection, Delta delta) throws SQLException {
    SqlShape shape = shapes.of(delta.sql());
    return delta.withTarget(shape.table(), rowKey(connection, shape, delta));
  }

  private RowKey rowKey(Connection connection, SqlShape shape, Delta delta) throws SQLException {
    return shape.rowKey(primaryKeys.of(connection, shape.table()), delta.params());
  }

  private Optional<String> problemWith(Delta delta, String sender, boolean pulled) {
    Optional<String> problem = validator.problemWith(delta);
    if (problem.isPresent()) {
      return problem;
    }
    boolean relaying = pulled || sender.equals(upstream) || relays.contains(sender);
    if (!relaying && !delta.origin().equals(sender)) {
      return Optional.of(
          "its origin "
              + delta.origin()
              + " is not its sender "
              + sender
              + ", which is neither this node's upstream nor a relay it trusts"
              + " (deltasync.node.relays)");
    }
    if (!relaying && RowImages.STATEMENT_ID.equals(delta.statementId())) {
      return Optional.of(
          "it is a row image ("
              + RowImages.STATEMENT_ID
              + "), which this node accepts only from its upstream"
              + (upstream == null ? " (it has none)" : " " + upstream)
              + ", not from "
              + sender);
    }
    return Optional.empty();
  }

  private Optional<String> declaredProblem(
      Connection connection, Delta delta, SqlShape shape, RowKey rowKey) throws SQLException {
    for (String table : shape.tables()) {
      Set<String> spellings = spellings(connection, table.substring(table.lastIndexOf('.') + 1));
      if (spellings.size() > 1) {
        return Optional.of(
            "table "
                + table
                + " is ambiguous here: the database holds "
                + spellings.size()
                + " tables whose names differ only in case ("
                + String.join(", ", new TreeSet<>(spellings))
                + "), which DeltaSync does not tell apart");
      }
    }
    if (delta.rowKey() != null && !delta.rowKey().equals(rowKey)) {
      return Optional.of(
          "its declared rowKey "
              + delta.rowKey()
              + " is not the row its SQL pins, "
              + (rowKey == null ? "none" : rowKey));
    }
    if (!RowImages.STATEMENT_ID.equals(delta.statementId())) {
      return Optional.empty();
    }
    if (rowKey == null) {
      return Optional.of(
          "it is a row image that does not pin one row of " + shape.table() + " by its key");
    }
    if (delta.kind() == Kind.INSERT) {
      Set<String> columns = tableColumns.of(connection, shape.table());
      for (String column : shape.insertColumns()) {
        if (!columns.contains(column)) {
          return Optional.of(
              "it is a row image naming column " + column + ", which " + shape.table() + " lacks");
        }
      }
    }
    return Optional.empty();
  }

  /** The catalog's spellings of a table name, ignoring ASCII case; read once per table. */
  private Set<String> spellings(Connection connection, String table) throws SQLException {
    String url = String.valueOf(connection.getMetaData().getURL());
    String key = url + " " + table;
    Set<String> found = spellings.get(key);
    if (found == null) {
      found =
          Set.copyOf(
              TableSpellings.inCatalog(
                  connection.getMetaData(),
                  connection.getCatalog(),
                  connection.getSchema(),
                  table));
      spellings.put(key, found);
    }
    return found;
  }
}
