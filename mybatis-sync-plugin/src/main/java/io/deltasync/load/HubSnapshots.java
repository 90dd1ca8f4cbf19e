package io.deltasync.load;

import io.deltasync.conflict.Row;
import io.deltasync.conflict.internal.Dialect;
import io.deltasync.delta.Delta;
import io.deltasync.delta.Incarnation;
import io.deltasync.delta.NameFilter;
import io.deltasync.delta.internal.LogText;
import io.deltasync.load.internal.ReplicatedTables;
import io.deltasync.store.internal.PointerRows;
import io.deltasync.store.internal.ReloadRows;
import io.deltasync.verify.VerifyException;
import io.deltasync.verify.internal.RangeReads;
import io.deltasync.verify.internal.TableShape;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's side of initial loads: each load reads from one snapshot of the hub's database, held
 * open on one connection for the load's life, and the snapshot's position.
 *
 * <p>{@link #open} begins a read transaction (REPEATABLE READ; SERIALIZABLE on H2, whose REPEATABLE
 * READ takes each table's snapshot only when the table is first read), checks the tables (those it
 * does not replicate are left out of the load, as it never ships their deltas either), and reads
 * {@code MAX(seq)} of {@code ds_delta} in it: seq is commit order, so the snapshot holds exactly
 * the deltas up to that seq. It also counts each table's rows in the snapshot ({@link
 * LoadStart#rows()}: one scan per table, so that the receiver can tell how much is left). Every
 * {@link #chunk} of the load reads in the same transaction. A load idle longer than the idle
 * timeout, and every load when the hub closes, loses its snapshot; the receiver then starts over.
 * At most {@link #MAX_LOADS} loads at once. Read-only but for {@link #reverse}, which writes a
 * client's rows of a reverse load; thread-safe (chunks of one load are read one at a time).
 */
public final class HubSnapshots implements LoadSource, AutoCloseable {

  /** How long a load may wait between chunks unless told otherwise. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);

  /** The most rows one chunk may hold. */
  public static final int MAX_CHUNK_ROWS = 10_000;

  /**
   * The most loads (held snapshots, each a connection of the hub's pool, held for the load's life)
   * at once; size the hub's pool for them.
   */
  public static final int MAX_LOADS = 2;

  private static final Logger LOG = LoggerFactory.getLogger(HubSnapshots.class);

  private final DataSource dataSource;
  private final String nodeId;
  private final NameFilter replicatedTables;
  private final Supplier<Incarnation> incarnation;
  private final Duration idleTimeout;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final HubReverseLoads reverse;

  /**
   * @param dataSource the hub's database
   * @param nodeId the hub's node id
   * @param replicatedTables the tables the hub replicates; no other is loaded
   * @param incarnation the hub's current incarnation (null when it keeps none)
   * @param idleTimeout how long a load's snapshot is kept between two chunks
   */
  public HubSnapshots(
      DataSource dataSource,
      String nodeId,
      NameFilter replicatedTables,
      Supplier<Incarnation> incarnation,
      Duration idleTimeout) {
    this(
        dataSource,
        nodeId,
        replicatedTables,
        incarnation,
        idleTimeout,
        EnumSet.allOf(ReverseChoice.class));
  }

  /**
   * As above, taking reverse loads only with the given choices (a hub that keeps its rows accepts
   * {@code hub-wins} and {@code refuse}, not {@code client-wins}).
   *
   * @param acceptedReverse the choices a client's reverse-load chunk may make; empty: none is taken
   */
  public HubSnapshots(
      DataSource dataSource,
      String nodeId,
      NameFilter replicatedTables,
      Supplier<Incarnation> incarnation,
      Duration idleTimeout,
      Set<ReverseChoice> acceptedReverse) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.nodeId = Delta.requireNodeId(nodeId, "nodeId");
    this.replicatedTables = Objects.requireNonNull(replicatedTables, "replicatedTables");
    this.incarnation = Objects.requireNonNull(incarnation, "incarnation");
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be > 0, but was " + idleTimeout);
    }
    this.idleTimeout = idleTimeout;
    this.reverse = new HubReverseLoads(dataSource, nodeId, replicatedTables, acceptedReverse);
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  @Override
  public LoadStart open(String requester, List<String> tables) {
    Delta.requireNodeId(requester, "requester");
    expire();
    replaced(requester);
    if (sessions.size() >= MAX_LOADS) {
      throw new LoadException(
          "hub "
              + nodeId
              + " is serving "
              + sessions.size()
              + " loads already (at most "
              + MAX_LOADS
              + "): "
              + requester
              + " should ask again later");
    }
    forgetReload(requester);
    Incarnation current = incarnation.get();
    Connection connection = null;
    try {
      connection = dataSource.getConnection();
      connection.setAutoCommit(false);
      connection.setTransactionIsolation(
          Dialect.of(connection) == Dialect.H2
              ? Connection.TRANSACTION_SERIALIZABLE
              : Connection.TRANSACTION_REPEATABLE_READ);
      Map<String, TableShape> shapes = new LinkedHashMap<>();
      List<String> refused = new ArrayList<>();
      for (String table : tables) {
        if (table != null && !replicatedTables.selects(table.toLowerCase(java.util.Locale.ROOT))) {
          LOG.info(
              "Load for {}: hub {} does not replicate {}, left out",
              requester,
              nodeId,
              LogText.of(table));
          continue;
        }
        try {
          TableShape shape = TableShape.of(connection, table, replicatedTables);
          shapes.put(shape.table(), shape);
        } catch (VerifyException e) {
          refused.add(e.getMessage().replace("verify and repair", "load"));
        }
      }
      if (!refused.isEmpty()) {
        throw new LoadException(
            "hub " + nodeId + " cannot load for " + requester + ": " + String.join("; ", refused));
      }
      long seq;
      boolean empty;
      try (Statement statement = connection.createStatement();
          ResultSet max = statement.executeQuery("SELECT MAX(seq) FROM ds_delta")) {
        max.next();
        seq = max.getLong(1);
        empty = max.wasNull();
      }
      if (empty) {
        // a purge emptied ds_delta: every delta the requester had acknowledged is in the snapshot,
        // so it goes on from there, not from 0 (which would be below what it acknowledged)
        long[] pointer = PointerRows.select(connection, nodeId, requester, false);
        seq = pointer == null ? 0 : pointer[0];
      }
      // counted in the snapshot, so each is exactly what the load will copy of the table
      Map<String, Long> rows = ReplicatedTables.rowCounts(connection, shapes.values());
      acknowledge(requester, seq);
      LoadStart start =
          new LoadStart(
              UUID.randomUUID().toString(), seq, current, List.copyOf(shapes.keySet()), rows);
      sessions.put(start.loadId(), new Session(requester, connection, shapes, seq));
      LOG.info(
          "Opened load {} for {}: {} tables, {} rows in one snapshot at seq {}",
          start.loadId(),
          requester,
          shapes.size(),
          rows.values().stream().mapToLong(Long::longValue).sum(),
          seq);
      return start;
    } catch (SQLException | RuntimeException e) {
      end(connection);
      if (e instanceof LoadException load) {
        throw load;
      }
      throw new LoadException(
          "hub " + nodeId + " could not open a snapshot for " + requester + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * The requester loads now: its pulls are served again once it has (a reload it had to take
   * before, see {@code ds_reload}, is under way). Before the snapshot, so that a reason noted while
   * it is taken stays.
   */
  private void forgetReload(String requester) {
    try (Connection connection = dataSource.getConnection()) {
      if (ReloadRows.delete(connection, requester, nodeId)) {
        LOG.info(
            "{} reloads from {}: its pulls are served again after the load", requester, nodeId);
      }
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
    } catch (SQLException e) {
      throw new LoadException(
          "hub " + nodeId + " could not note the reload of " + requester + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * The requester becomes a known peer that has the deltas up to the position (its {@code
   * lastPushed}): a purge keeps what it still needs, or notes that it must reload, also when it
   * goes offline before its first pull.
   */
  private void acknowledge(String requester, long seq) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      PointerRows.ensure(connection, nodeId, requester);
      PointerRows.advance(connection, nodeId, requester, "last_pushed", seq);
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
    }
  }

  @Override
  public List<Row> chunk(
      String requester, String loadId, String table, List<String> after, int limit) {
    if (limit < 1 || limit > MAX_CHUNK_ROWS) {
      throw new LoadException(
          "a chunk must hold 1 to "
              + MAX_CHUNK_ROWS
              + " rows, but "
              + requester
              + " asked for "
              + limit);
    }
    return inSnapshot(
        requester,
        loadId,
        table,
        (connection, shape) -> RangeReads.page(connection, shape, after, limit));
  }

  /**
   * Which of the keys the load's snapshot holds in the table, by the hub's equality of keys; at
   * most {@link #MAX_CHUNK_ROWS} keys.
   */
  @Override
  public Set<List<String>> held(
      String requester, String loadId, String table, List<List<String>> keys) {
    if (keys.size() > MAX_CHUNK_ROWS) {
      throw new LoadException(
          "at most "
              + MAX_CHUNK_ROWS
              + " keys at once, but "
              + requester
              + " asked "
              + keys.size());
    }
    return inSnapshot(
        requester, loadId, table, (connection, shape) -> RangeReads.held(connection, shape, keys));
  }

  private interface SnapshotRead<T> {
    T read(Connection connection, TableShape shape) throws SQLException;
  }

  /** Runs the read on the requester's snapshot of the table; a failed read ends the snapshot. */
  private <T> T inSnapshot(String requester, String loadId, String table, SnapshotRead<T> read) {
    expire();
    Session session = sessions.get(loadId);
    if (session == null || !session.requester.equals(requester)) {
      throw new LoadSessionLostException(
          "hub "
              + nodeId
              + " holds no load "
              + loadId
              + " for "
              + requester
              + " (the hub restarted, or the load waited longer than "
              + idleTimeout
              + " between chunks): start the load over");
    }
    synchronized (session) {
      TableShape shape = session.shapes.get(table);
      if (shape == null) {
        throw new LoadException(
            "load " + loadId + " of " + requester + " did not open table " + table);
      }
      try {
        T result = read.read(session.connection, shape);
        session.lastUsed = System.nanoTime();
        return result;
      } catch (IllegalArgumentException | VerifyException e) {
        // a key the requester sent that is no key of the table: its request, not the snapshot
        throw new LoadException(
            requester + " sent a key that is no key of " + table + ": " + e.getMessage(), e);
      } catch (SQLException e) {
        sessions.remove(loadId);
        end(session.connection);
        throw new LoadException(
            "hub "
                + nodeId
                + " could not read "
                + table
                + " for load "
                + loadId
                + ": "
                + e.getMessage(),
            e);
      }
    }
  }

  /**
   * Applies one chunk of a client's reverse load in one transaction of its own, outside any
   * snapshot: rows the hub lacks are inserted, rows it holds with other values are overwritten
   * ({@link ReverseChoice#CLIENT_WINS}), kept ({@link ReverseChoice#HUB_WINS}) or refused ({@link
   * ReverseChoice#REFUSE}, naming the table and the key), and every row written is captured as a
   * row-image delta in the same transaction, so the other nodes receive it. The table must be one
   * the hub replicates, every column one of its columns and the choice one the hub accepts; nothing
   * else is written. A chunk with {@link ReverseChunk#apply()} false is only compared.
   */
  @Override
  public ReverseResult reverse(String requester, ReverseChunk chunk) {
    return reverse.apply(requester, chunk);
  }

  @Override
  public void close(String requester, String loadId) {
    Session session = sessions.get(loadId);
    if (session != null && session.requester.equals(requester)) {
      sessions.remove(loadId);
      synchronized (session) {
        end(session.connection);
      }
      LOG.info("Closed load {} for {}", loadId, requester);
    }
  }

  /** How many loads hold a snapshot now. */
  public int openLoads() {
    expire();
    return sessions.size();
  }

  /**
   * The nodes whose loads hold a snapshot of this hub now (in this process), by id: they are
   * loading or reloading from it.
   */
  public Set<String> loading() {
    expire();
    Set<String> requesters = new TreeSet<>();
    sessions.values().forEach(session -> requesters.add(session.requester));
    return requesters;
  }

  /** Ends every load's snapshot. */
  @Override
  public void close() {
    sessions.keySet().forEach(id -> close(sessions.get(id).requester, id));
  }

  /**
   * Ends the snapshots the requester holds already: a node runs one load from this hub at a time,
   * so one it opens again lost the answer to its last open (or started over), and that snapshot
   * would otherwise hold a connection, and one of the {@link #MAX_LOADS}, until the idle timeout.
   */
  private void replaced(String requester) {
    sessions.forEach(
        (id, session) -> {
          if (session.requester.equals(requester) && sessions.remove(id, session)) {
            synchronized (session) {
              end(session.connection);
            }
            LOG.info("Ended load {} of {}: it opens a new one", id, requester);
          }
        });
  }

  private void expire() {
    long now = System.nanoTime();
    sessions.forEach(
        (id, session) -> {
          if (now - session.lastUsed > idleTimeout.toNanos() && sessions.remove(id, session)) {
            synchronized (session) {
              end(session.connection);
            }
            LOG.warn(
                "Dropped load {} of {}: no chunk asked for {}", id, session.requester, idleTimeout);
          }
        });
  }

  private static void end(Connection connection) {
    if (connection == null) {
      return;
    }
    try (connection) {
      connection.rollback();
      connection.setAutoCommit(true);
    } catch (SQLException e) {
      LOG.debug("Could not end a load's snapshot cleanly", e);
    }
  }

  private static final class Session {
    final String requester;
    final Connection connection;
    final Map<String, TableShape> shapes;
    final long seq;
    volatile long lastUsed = System.nanoTime();

    Session(String requester, Connection connection, Map<String, TableShape> shapes, long seq) {
      this.requester = requester;
      this.connection = connection;
      this.shapes = Map.copyOf(shapes);
      this.seq = seq;
    }
  }
}
