package io.deltasync.verify;

import io.deltasync.delta.Delta;
import io.deltasync.delta.NameFilter;
import io.deltasync.verify.internal.RangeReads;
import io.deltasync.verify.internal.TableShape;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The hub's side of verify, over the hub's own database: measures the ranges a node asks for, hands
 * out the rows of one range or of one page, and says which of a node's keys it holds.
 *
 * <p>Each answer is read in one REPEATABLE READ transaction that first reads the hub's highest seq,
 * so the checksums or rows hold every delta up to that seq (the applier stores a delta and runs it
 * in one transaction). Only tables the hub replicates, with a primary key, are answered. Read-only;
 * thread-safe.
 */
public final class HubVerifier implements VerifyHub {

  /** The most rows one range may hold for {@link #rows}, and the most one {@link #page} reads. */
  public static final int MAX_RANGE_ROWS = 100_000;

  /** The most ranges one {@link #checksums} request may ask for. */
  public static final int MAX_RANGES = 100_000;

  /** The most keys one {@link #held} request may ask about. */
  public static final int MAX_KEYS = 10_000;

  private final DataSource dataSource;
  private final String nodeId;
  private final NameFilter replicatedTables;

  /**
   * @param dataSource the hub's database
   * @param nodeId the hub's node id
   * @param replicatedTables the tables the hub replicates; no other is answered
   */
  public HubVerifier(DataSource dataSource, String nodeId, NameFilter replicatedTables) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.nodeId = Delta.requireNodeId(nodeId, "nodeId");
    this.replicatedTables = Objects.requireNonNull(replicatedTables, "replicatedTables");
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  @Override
  public HubChecksums checksums(String requester, String table, List<KeyRange> ranges) {
    Delta.requireNodeId(requester, "requester");
    if (ranges.isEmpty() || ranges.size() > MAX_RANGES) {
      throw new VerifyException(
          "ask for 1 to "
              + MAX_RANGES
              + " ranges, but "
              + requester
              + " asked for "
              + ranges.size());
    }
    return snapshot(
        table,
        (connection, shape, seq) -> {
          List<KeyRange> measured = new ArrayList<>(ranges.size());
          for (KeyRange range : ranges) {
            measured.add(RangeReads.measure(connection, shape, range));
          }
          return new HubChecksums(seq, measured);
        });
  }

  @Override
  public HubRows rows(String requester, String table, KeyRange range) {
    Delta.requireNodeId(requester, "requester");
    return snapshot(
        table,
        (connection, shape, seq) ->
            new HubRows(seq, RangeReads.rows(connection, shape, range, MAX_RANGE_ROWS)));
  }

  @Override
  public HubRows page(String requester, String table, List<String> after, int limit) {
    Delta.requireNodeId(requester, "requester");
    if (limit <= 0 || limit > MAX_RANGE_ROWS) {
      throw new VerifyException(
          "ask for a page of 1 to "
              + MAX_RANGE_ROWS
              + " rows, but "
              + requester
              + " asked for "
              + limit);
    }
    return snapshot(
        table,
        (connection, shape, seq) ->
            new HubRows(seq, RangeReads.page(connection, shape, after, limit)));
  }

  @Override
  public Set<List<String>> held(String requester, String table, List<List<String>> keys) {
    Delta.requireNodeId(requester, "requester");
    if (keys.isEmpty() || keys.size() > MAX_KEYS) {
      throw new VerifyException(
          "ask about 1 to " + MAX_KEYS + " keys, but " + requester + " asked about " + keys.size());
    }
    return snapshot(table, (connection, shape, seq) -> RangeReads.held(connection, shape, keys));
  }

  private interface Read<T> {
    T read(Connection connection, TableShape shape, long hubSeq) throws SQLException;
  }

  private <T> T snapshot(String table, Read<T> read) {
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      int isolation = connection.getTransactionIsolation();
      TableShape shape = TableShape.of(connection, table, replicatedTables);
      connection.setAutoCommit(false);
      connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try (Statement statement = connection.createStatement();
          ResultSet max = statement.executeQuery("SELECT MAX(seq) FROM ds_delta")) {
        max.next();
        T answer;
        try {
          answer = read.read(connection, shape, max.getLong(1));
        } catch (IllegalArgumentException e) {
          // a key the node sent that is no key of the table: its request, not the hub's database
          throw new VerifyException("a key sent is no key of " + table + ": " + e.getMessage(), e);
        }
        connection.commit();
        return answer;
      } finally {
        connection.rollback();
        connection.setTransactionIsolation(isolation);
        connection.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new VerifyException(
          "hub " + nodeId + " could not read table " + table + ": " + e.getMessage(), e);
    }
  }
}
