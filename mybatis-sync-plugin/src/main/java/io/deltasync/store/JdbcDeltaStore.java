package io.deltasync.store;

import io.deltasync.delta.Delta;
import io.deltasync.delta.Incarnation;
import io.deltasync.store.internal.DeltaRows;
import io.deltasync.store.internal.IncarnationRows;
import io.deltasync.store.internal.PointerRows;
import io.deltasync.store.internal.ValueLists;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link DeltaStore} over the {@code ds_} tables of a JDBC data source.
 *
 * <p>Each call runs in its own short transaction on a connection of the data source. Pages follow
 * seq order, which is commit order (see {@code ds_lock}), so a page never passes a seq that a
 * running transaction may still fill. Thread-safe.
 */
public final class JdbcDeltaStore implements DeltaStore {

  private static final Logger LOG = LoggerFactory.getLogger(JdbcDeltaStore.class);

  private static final String PENDING =
      "SELECT "
          + DeltaRows.COLUMNS
          + " FROM ds_delta WHERE seq > ? AND seq <= ? AND "
          + DeltaRows.SENT_TO_PEER
          + " ORDER BY seq LIMIT ?";

  /** The most deltas one read of the rest of a transaction takes. */
  private static final int MAX_STEP = 4_096;

  private static final String REST_OF_TRANSACTION =
      "SELECT "
          + DeltaRows.COLUMNS
          + " FROM ds_delta WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?";

  private final DataSource dataSource;
  private final String nodeId;
  private volatile Incarnation begun;

  /**
   * When this process began to use the database: deltas stored before it are what an incarnation
   * begun by this process is based on, however late it begins it.
   */
  private final java.sql.Timestamp startedAt = new java.sql.Timestamp(System.currentTimeMillis());

  public JdbcDeltaStore(DataSource dataSource, String nodeId) {
    this.dataSource = dataSource;
    this.nodeId = Delta.requireNodeId(nodeId, "nodeId");
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  @Override
  public Page pendingFor(String peer, long afterSeq, int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be > 0, but was " + limit);
    }
    try (Connection connection = dataSource.getConnection()) {
      // read the end first: rows committed after this have higher seqs (see DeltaRows.insert)
      long horizon = lastSeq(connection);
      if (horizon <= afterSeq) {
        return new Page(List.of(), afterSeq);
      }
      List<Delta> deltas = new ArrayList<>();
      long from = afterSeq;
      for (long span = 2L * limit; ; span = Math.min(span, 1L << 40) * 4) {
        long to = upTo(from, span, horizon);
        try (PreparedStatement select = connection.prepareStatement(PENDING)) {
          ValueLists.planEachRun(select);
          select.setLong(1, from);
          select.setLong(2, to);
          select.setString(3, peer);
          select.setString(4, peer);
          select.setInt(5, limit - deltas.size());
          deltas.addAll(DeltaRows.readAll(select));
        }
        if (deltas.size() == limit) {
          break;
        }
        if (to == horizon) {
          return new Page(deltas, horizon);
        }
        from = to;
      }
      deltas.addAll(restOfTransaction(connection, deltas.get(deltas.size() - 1), horizon));
      return new Page(deltas, deltas.get(deltas.size() - 1).seq());
    } catch (SQLException e) {
      throw new DeltaStoreException(
          "could not read deltas for peer " + peer + " after seq " + afterSeq, e);
    }
  }

  /**
   * The end of a range of seqs read in one query: at most {@code span} seqs after {@code from}, and
   * not past the horizon. Reads go range by range, growing, rather than up to the horizon at once:
   * where PostgreSQL's statistics are older than {@code ds_delta}'s rows (a burst of deltas before
   * autovacuum analyzed them, or a purge that left the table empty), it plans {@code seq > ? AND
   * seq <= ? ORDER BY seq LIMIT ?} as a read of every row in the range, sorted: a hub's feed read
   * 197,000 rows for a page of 500 (80 to 240 ms a page) until the next analysis. A range holds at
   * most {@code span} rows, whatever the plan.
   */
  private static long upTo(long from, long span, long horizon) {
    return horizon - from <= span ? horizon : from + span;
  }

  /**
   * The deltas of the last delta's transaction that come after it, so that a page never splits a
   * transaction (they apply together). A transaction's deltas are contiguous in seq (see {@code
   * DeltaRows.insert}; a savepoint rolled back leaves a gap), so this reads on in seq order, in
   * growing ranges (see {@link #upTo}), up to the first delta of another transaction: a range up to
   * the horizon filtered by transaction would read the whole backlog after the page for every page
   * (a hub feeding a client 1,000,000 deltas behind spent most of its time there).
   */
  private static List<Delta> restOfTransaction(Connection connection, Delta last, long horizon)
      throws SQLException {
    List<Delta> rest = new ArrayList<>();
    long after = last.seq();
    long span = 16;
    while (after < horizon) {
      long to = upTo(after, span, horizon);
      int step = (int) Math.min(span, MAX_STEP);
      List<Delta> next;
      try (PreparedStatement select = connection.prepareStatement(REST_OF_TRANSACTION)) {
        ValueLists.planEachRun(select);
        select.setLong(1, after);
        select.setLong(2, to);
        select.setInt(3, step);
        next = DeltaRows.readAll(select);
      }
      for (Delta delta : next) {
        if (!delta.txId().equals(last.txId())) {
          return rest;
        }
        rest.add(delta);
      }
      if (next.size() == step) {
        after = next.get(step - 1).seq(); // the range goes on past the step
      } else {
        after = to; // the range is read: the transaction may go on past a gap
        span = Math.min(span, 1L << 40) * 4;
      }
    }
    return rest;
  }

  @Override
  public NodePointers pointers(String peer) {
    try (Connection connection = dataSource.getConnection()) {
      long[] pointers = PointerRows.select(connection, nodeId, peer, false);
      return pointers == null
          ? new NodePointers(nodeId, peer, 0, 0)
          : new NodePointers(nodeId, peer, pointers[0], pointers[1]);
    } catch (SQLException e) {
      throw new DeltaStoreException("could not read the pointers of peer " + peer, e);
    }
  }

  @Override
  public List<NodePointers> allPointers() {
    try (Connection connection = dataSource.getConnection()) {
      return allPointers(connection);
    } catch (SQLException e) {
      throw new DeltaStoreException("could not read the pointers of node " + nodeId, e);
    }
  }

  private List<NodePointers> allPointers(Connection connection) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT peer_id, last_pushed, last_processed FROM ds_node_pointer"
                + " WHERE node_id = ? ORDER BY peer_id")) {
      select.setString(1, nodeId);
      List<NodePointers> all = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          all.add(new NodePointers(nodeId, rows.getString(1), rows.getLong(2), rows.getLong(3)));
        }
      }
      return all;
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>The applier holds the peer's pointer row while it applies a batch from that peer, up to the
   * statement timeout (30 s by default); this waits for it as long as PostgreSQL and MariaDB wait
   * for a row lock, also on H2, whose sessions give up after 1 s by default ({@link
   * #POINTER_WAIT}).
   */
  @Override
  public void markPushed(String peer, long seq) {
    Delta.requireNodeId(peer, "peer");
    long deadline = System.nanoTime() + POINTER_WAIT.toNanos();
    while (true) {
      try {
        movePushed(peer, seq);
        return;
      } catch (SQLException e) {
        if (!PointerRows.isLockTimeout(e) || System.nanoTime() > deadline) {
          throw new DeltaStoreException(
              "could not move lastPushed of peer " + peer + " to " + seq, e);
        }
        LOG.debug("lastPushed of peer {} waits for a batch from it being applied", peer);
      }
    }
  }

  /** How long {@link #markPushed} waits for the peer's pointer row, lock timeout after another. */
  static final Duration POINTER_WAIT = Duration.ofSeconds(60);

  private void movePushed(String peer, long seq) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      PointerRows.ensure(connection, nodeId, peer);
      PointerRows.advance(connection, nodeId, peer, "last_pushed", seq);
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
    }
  }

  @Override
  public void resetPushed(String peer, long seq) {
    Delta.requireNodeId(peer, "peer");
    if (seq < 0) {
      throw new IllegalArgumentException("seq must be >= 0, but was " + seq);
    }
    try (Connection connection = dataSource.getConnection()) {
      PointerRows.ensure(connection, nodeId, peer);
      PointerRows.resetPushed(connection, nodeId, peer, seq);
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
      LOG.info("Reset lastPushed of peer {} to seq {}", peer, seq);
    } catch (SQLException e) {
      throw new DeltaStoreException("could not reset lastPushed of peer " + peer + " to " + seq, e);
    }
  }

  @Override
  public Incarnation incarnation() {
    try (Connection connection = dataSource.getConnection()) {
      Incarnation mine = begun;
      if (mine != null) {
        Incarnation newest = IncarnationRows.newest(connection);
        if (newest != null && newest.id().equals(mine.id())) {
          return mine;
        }
        if (newest != null && IncarnationRows.holds(connection, mine.id())) {
          return newest; // another process over this database began after this one
        }
      }
      return begin(connection, mine);
    } catch (SQLException e) {
      throw new DeltaStoreException("could not read the incarnation of node " + nodeId, e);
    }
  }

  private synchronized Incarnation begin(Connection connection, Incarnation lost)
      throws SQLException {
    if (begun != lost) {
      return begun; // another thread began it
    }
    if (lost == null) {
      Incarnation live = IncarnationRows.begunSince(connection, startedAt);
      if (live != null) {
        begun = live; // another process over this database began it since this one started
        return live;
      }
    }
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    Incarnation incarnation;
    List<NodePointers> corrected = new ArrayList<>();
    try {
      Incarnation previous = IncarnationRows.newest(connection);
      incarnation = IncarnationRows.begin(connection, previous, startedAt);
      for (NodePointers each : allPointers(connection)) {
        if (each.lastPushed() > incarnation.baseSeq()) {
          PointerRows.resetPushed(connection, nodeId, each.peerId(), incarnation.baseSeq());
          corrected.add(each);
        }
      }
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
    begun = incarnation;
    if (lost != null) {
      LOG.warn(
          "The database of {} no longer holds incarnation {} that this process began: it was"
              + " restored or lost its latest commits; began incarnation {} at seq {}",
          nodeId,
          lost.id(),
          incarnation.id(),
          incarnation.baseSeq());
    } else {
      LOG.info(
          "Began incarnation {} of {} at seq {}", incarnation.id(), nodeId, incarnation.baseSeq());
    }
    for (NodePointers each : corrected) {
      LOG.warn(
          "lastPushed of peer {} was seq {}, above the highest seq {} of {}: its database lost"
              + " its latest commits or was restored; sending again from seq {}",
          each.peerId(),
          each.lastPushed(),
          incarnation.baseSeq(),
          nodeId,
          incarnation.baseSeq());
    }
    return incarnation;
  }

  @Override
  public String peerIncarnation(String peer) {
    try (Connection connection = dataSource.getConnection()) {
      return IncarnationRows.peerIncarnation(connection, nodeId, peer);
    } catch (SQLException e) {
      throw new DeltaStoreException("could not read the incarnation of peer " + peer, e);
    }
  }

  @Override
  public List<Rebase> rebases(int limit) {
    try (Connection connection = dataSource.getConnection()) {
      return IncarnationRows.rebases(connection, nodeId, limit);
    } catch (SQLException e) {
      throw new DeltaStoreException("could not read the re-bases of node " + nodeId, e);
    }
  }

  @Override
  public long lastSeq() {
    try (Connection connection = dataSource.getConnection()) {
      return lastSeq(connection);
    } catch (SQLException e) {
      throw new DeltaStoreException("could not read the last seq", e);
    }
  }

  /**
   * The highest seq, by one probe of the primary key. Planned each run on PostgreSQL: prepared on
   * the server while {@code ds_delta} was empty (after a purge and autovacuum), it kept a plan that
   * read the whole table, for every page, until the next analysis.
   */
  private static long lastSeq(Connection connection) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM ds_delta")) {
      ValueLists.planEachRun(select);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  @Override
  public long count() {
    return queryLong("SELECT COUNT(*) FROM ds_delta", "the delta count");
  }

  @Override
  public int purgeAcknowledged() {
    List<NodePointers> pointers = allPointers();
    if (pointers.isEmpty()) {
      return 0;
    }
    // never the newest delta: see DeltaMaintenance.previewPurgeAcknowledgedOlderThan
    long upTo =
        Math.min(
            pointers.stream().mapToLong(NodePointers::lastPushed).min().orElse(0), lastSeq() - 1);
    if (upTo <= 0) {
      return 0;
    }
    try (Connection connection = dataSource.getConnection();
        PreparedStatement delete =
            connection.prepareStatement("DELETE FROM ds_delta WHERE seq <= ?")) {
      delete.setLong(1, upTo);
      int deleted = delete.executeUpdate();
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
      LOG.info("Purged {} deltas up to seq {} that every peer has acknowledged", deleted, upTo);
      return deleted;
    } catch (SQLException e) {
      throw new DeltaStoreException("could not purge deltas up to seq " + upTo, e);
    }
  }

  private long queryLong(String sql, String what) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(sql);
        ResultSet row = select.executeQuery()) {
      row.next();
      return row.getLong(1);
    } catch (SQLException e) {
      throw new DeltaStoreException("could not read " + what, e);
    }
  }
}
