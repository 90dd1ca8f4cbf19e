package io.deltasync.load;

import io.deltasync.apply.DeltaApplier;
import io.deltasync.apply.internal.StatementTimeouts;
import io.deltasync.conflict.Row;
import io.deltasync.conflict.internal.Dialect;
import io.deltasync.conflict.internal.RowImages;
import io.deltasync.conflict.internal.RowSql;
import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaCodec;
import io.deltasync.delta.DeltaIds;
import io.deltasync.delta.HybridClock;
import io.deltasync.delta.NameFilter;
import io.deltasync.delta.Param;
import io.deltasync.load.internal.ReplicatedTables;
import io.deltasync.store.DeltaSignal;
import io.deltasync.store.internal.DeltaRows;
import io.deltasync.verify.VerifyException;
import io.deltasync.verify.internal.RowText;
import io.deltasync.verify.internal.TableShape;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's side of reverse loads: applies one chunk of a client's rows, in one transaction, by the
 * chunk's {@link ReverseChoice}, and captures every row it writes as a row-image delta in that same
 * transaction, so the rows reach the other nodes like any write of the hub's.
 *
 * <p>Trusts nothing the chunk declares: the table must be one of the hub's own replicated base
 * tables (not {@code ds_*}, not Liquibase's, with a primary key), every column one of that table's
 * columns as the hub's catalog knows them, the choice one the hub accepts, and the SQL is the hub's
 * own (a key lookup, a plain INSERT or the database's upsert, names spelled by the catalog), never
 * text from the client. A chunk sent again finds its rows equal and writes nothing. Thread-safe.
 */
final class HubReverseLoads {

  private static final Logger LOG = LoggerFactory.getLogger(HubReverseLoads.class);

  private final DataSource dataSource;
  private final String nodeId;
  private final NameFilter replicatedTables;
  private final HybridClock clock;
  private final Set<ReverseChoice> accepted;
  private final DeltaSignal signal;

  HubReverseLoads(
      DataSource dataSource,
      String nodeId,
      NameFilter replicatedTables,
      Set<ReverseChoice> accepted) {
    this.accepted = accepted.isEmpty() ? Set.of() : EnumSet.copyOf(accepted);
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.nodeId = Delta.requireNodeId(nodeId, "nodeId");
    this.replicatedTables = Objects.requireNonNull(replicatedTables, "replicatedTables");
    this.clock = HybridClock.forNode(nodeId);
    this.signal = DeltaSignal.of(nodeId);
  }

  /**
   * Compares, and when {@link ReverseChunk#apply()} applies, the chunk.
   *
   * @throws LoadException naming the table and why: not replicated, unknown column, a key missing
   *     or repeated, a differing row under {@link ReverseChoice#REFUSE}; or, with the database's
   *     error as its cause, a failure to try again (nothing of the chunk is kept)
   */
  ReverseResult apply(String requester, ReverseChunk chunk) {
    Delta.requireNodeId(requester, "requester");
    String table = chunk.table().toLowerCase(Locale.ROOT);
    if (!accepted.contains(chunk.choice())) {
      throw refused(
          requester,
          table,
          nodeId
              + " takes no "
              + chunk.choice().text()
              + " reverse load, only "
              + accepted.stream().map(ReverseChoice::text).toList()
              + " (deltasync.load.reverse.accept); choose one of those for "
              + table);
    }
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      // under the applier's limits, so that one client's chunk cannot hold up the hub's writers
      try (StatementTimeouts limit =
          StatementTimeouts.limit(
              connection, Dialect.of(connection), DeltaApplier.DEFAULT_STATEMENT_TIMEOUT)) {
        ReverseResult result = apply(connection, requester, table, chunk);
        if (chunk.apply()) {
          connection.commit();
          if (result.written() > 0) {
            signal.raise(); // the row images may go on to the other nodes now
          }
        }
        return result;
      } finally {
        connection.rollback();
        connection.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new LoadException(
          "hub "
              + nodeId
              + " could not apply a chunk of "
              + table
              + " reverse-loaded by "
              + requester
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private ReverseResult apply(
      Connection connection, String requester, String table, ReverseChunk chunk)
      throws SQLException {
    TableShape shape = shape(connection, requester, table);
    List<String> keys = shape.keyColumns();
    Set<String> seen = new HashSet<>();
    List<Row> missing = new ArrayList<>();
    List<Row> differing = new ArrayList<>();
    int unchanged = 0;
    for (Row row : chunk.rows()) {
      checkColumns(requester, shape, row);
      List<Param> key = keyOf(requester, shape, row);
      if (!seen.add(DeltaCodec.encodeRowKey(row.key(keys)))) {
        throw refused(requester, table, "it names key " + row.key(keys).values() + " twice");
      }
      Row hubRow = RowSql.select(connection, table, keys, key);
      List<String> differs = hubRow == null ? List.of() : differ(row, hubRow);
      if (hubRow == null) {
        missing.add(row);
      } else if (!differs.isEmpty()) {
        if (chunk.choice() == ReverseChoice.REFUSE) {
          throw refused(
              requester,
              table,
              "row "
                  + row.key(keys).values()
                  + " differs between "
                  + requester
                  + " and "
                  + nodeId
                  + " in "
                  + differs
                  + " (deltasync.load.reverse: refuse); choose client-wins or hub-wins for "
                  + table
                  + ", or make the rows equal",
              chunk.apply());
        }
        differing.add(row);
      } else {
        unchanged++;
      }
    }
    boolean clientWins = chunk.choice() == ReverseChoice.CLIENT_WINS;
    ReverseResult result =
        new ReverseResult(
            missing.size(),
            clientWins ? differing.size() : 0,
            clientWins ? 0 : differing.size(),
            unchanged);
    if (!chunk.apply()) {
      return result;
    }
    List<Row> written = new ArrayList<>(missing);
    // plain INSERTs: a row another writer added since the lookup fails the chunk (tried again)
    // rather than being overwritten, whatever the choice
    RowSql.insertAll(connection, table, missing);
    if (clientWins) {
      RowSql.upsertAll(connection, Dialect.of(connection), table, keys, differing);
      written.addAll(differing);
    }
    capture(connection, shape, written);
    LOG.debug(
        "Reverse load of {} from {}: {} rows, {} written ({})",
        table,
        requester,
        chunk.rows().size(),
        result.written(),
        chunk.choice().text());
    return result;
  }

  /** Row images of the rows as the hub now holds them, in the caller's transaction. */
  private void capture(Connection connection, TableShape shape, List<Row> rows)
      throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    String txId = DeltaIds.next();
    List<Delta> images = new ArrayList<>(rows.size());
    for (Row row : rows) {
      Row now =
          RowSql.select(
              connection,
              shape.table(),
              shape.keyColumns(),
              shape.params(RowText.key(row, shape.keyColumns())));
      images.add(
          RowImages.ofRow(nodeId, txId, clock.now(), shape.table(), shape.keyColumns(), now));
    }
    DeltaRows.insert(connection, images, null);
  }

  /** The table's shape, when it is one of the hub's own replicated base tables. */
  private TableShape shape(Connection connection, String requester, String table)
      throws SQLException {
    if (!ReplicatedTables.of(connection, replicatedTables).contains(table)) {
      throw refused(
          requester,
          table,
          nodeId
              + " does not replicate a table "
              + table
              + "; leave it out of "
              + requester
              + "'s replicated tables (deltasync.capture.exclude-tables)");
    }
    try {
      return TableShape.of(connection, table, replicatedTables);
    } catch (VerifyException e) {
      throw refused(requester, table, e.getMessage().replace("verify and repair", "load"));
    }
  }

  private void checkColumns(String requester, TableShape shape, Row row) {
    Map<String, String> known = shape.names().columns();
    for (String column : row.columns()) {
      if (!known.containsKey(column)) {
        throw refused(
            requester,
            shape.table(),
            nodeId
                + "'s table "
                + shape.table()
                + " has no column "
                + column
                + " (it has "
                + known.keySet().stream().sorted().toList()
                + ")");
      }
    }
  }

  private List<Param> keyOf(String requester, TableShape shape, Row row) {
    try {
      return shape.params(RowText.key(row, shape.keyColumns()));
    } catch (IllegalArgumentException e) {
      throw refused(
          requester, shape.table(), "a row lacks its key " + shape.keyColumns() + ": " + e);
    }
  }

  /** The client's columns whose values differ from the hub's row, in name order. */
  private static List<String> differ(Row client, Row hub) {
    List<String> columns = new ArrayList<>();
    for (String column : client.columns()) {
      Map<String, Param> one = new LinkedHashMap<>();
      one.put(column, client.param(column));
      Map<String, Param> other = new LinkedHashMap<>();
      other.put(column, hub.param(column));
      if (!RowText.of(new Row(one)).equals(RowText.of(new Row(other)))) {
        columns.add(column);
      }
    }
    columns.sort(null);
    return columns;
  }

  private LoadException refused(String requester, String table, String why) {
    return refused(requester, table, why, false);
  }

  private LoadException refused(String requester, String table, String why, boolean applying) {
    return new LoadException(
        "hub "
            + nodeId
            + " refused the reverse load of table "
            + table
            + " from "
            + requester
            + ": "
            + why
            + (applying
                ? "; nothing of this chunk was applied"
                : "; nothing of " + table + " was applied"));
  }
}
