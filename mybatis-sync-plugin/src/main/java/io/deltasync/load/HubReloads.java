package io.deltasync.load;

import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaIds;
import io.deltasync.delta.NameFilter;
import io.deltasync.delta.internal.LogText;
import io.deltasync.load.internal.ReplicatedTables;
import io.deltasync.store.DeltaSignal;
import io.deltasync.store.internal.PointerRows;
import io.deltasync.store.internal.ReloadRows;
import io.deltasync.store.internal.TableReloadRows;
import io.deltasync.verify.VerifyException;
import io.deltasync.verify.internal.TableShape;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hub's way to have one of its peers reload: an operator (or a program) asks for it, after a
 * {@link #preview} of what the peer would receive.
 *
 * <pre>{@code
 * HubReloads reloads = new HubReloads(dataSource, "hub", replicated, null);
 * ReloadPreview preview = reloads.preview("node-a"); // the hub's rows per table
 * reloads.request("node-a", "alice (console)");
 * }</pre>
 *
 * <p>{@link #request} notes in {@code ds_reload} that the peer must reload from this hub, as a
 * forced purge does: the hub refuses the peer's next pull (over HTTP, 410 {@code RELOAD_NEEDED}),
 * or its outbox sends a queue or folder peer a reload notice instead of the next batch. The peer
 * then reloads from a snapshot of the hub ({@code deltasync.load.reload=auto}) or holds until its
 * operator calls {@link Loader#reload()} ({@code manual}); its rows are replaced by the hub's, and
 * the writes it had not pushed yet are kept and pushed after. Opening the load clears the note.
 * This hub's own reload from its upstream is asked of its {@link Loader} instead.
 *
 * <p>{@link #requestTable} asks a peer to reload one table instead ({@code ds_table_reload}): the
 * hub tells it in the answers to its pulls over HTTP, or when the peer's load route asks (over JMS
 * or files), while its deltas keep coming; the peer reloads the table page by page from the hub
 * ({@code Verifier.reloadTable}, which never moves its pointer) and reports the reload done, which
 * ends the request, or failed, which the request then shows ({@link #tableReloads}).
 *
 * <p>Each call is one short use of a connection of the data source; {@link #request} writes in one
 * transaction of its own. Thread-safe.
 */
public final class HubReloads {

  /** How long {@link #tableReloadsDue} trusts what it read: the feed asks at every pull. */
  private static final long DUE_READ_EVERY_NANOS = 1_000_000_000L;

  private static final int REQUESTED_BY_CHARS = 200;

  private static final Logger LOG = LoggerFactory.getLogger(HubReloads.class);

  private final DataSource dataSource;
  private final String nodeId;
  private final NameFilter replicatedTables;
  private final String upstream;
  private volatile Map<String, List<TableReloadRequest>> due;
  private volatile long dueReadAt;

  /**
   * @param dataSource this hub's database
   * @param nodeId this hub's node id
   * @param replicatedTables the tables this hub replicates: a load copies no other
   * @param upstream this hub's own hub ({@code deltasync.node.upstream}), which it reloads from and
   *     never the other way round; null when it has none
   */
  public HubReloads(
      DataSource dataSource, String nodeId, NameFilter replicatedTables, String upstream) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.nodeId = Delta.requireNodeId(nodeId, "nodeId");
    this.replicatedTables = Objects.requireNonNull(replicatedTables, "replicatedTables");
    this.upstream = upstream == null ? null : Delta.requireNodeId(upstream, "upstream");
  }

  /** This hub's node id. */
  public String nodeId() {
    return nodeId;
  }

  /**
   * What a reload of the peer would copy: this hub's pointers for it, whether a reload is due
   * already, and the rows of every table the hub replicates, counted now (read-only).
   *
   * @throws LoadException when the peer is this node, its upstream or not a known peer (no pointer
   *     row here), or a replicated table has no primary key (a load could not copy it)
   */
  public ReloadPreview preview(String peer) {
    try (Connection connection = dataSource.getConnection()) {
      long[] pointers = requireKnownPeer(connection, peer);
      ReloadRows.Reload due = ReloadRows.read(connection, peer, nodeId);
      return new ReloadPreview(
          peer,
          nodeId,
          pointers[0],
          pointers[1],
          due == null ? null : due.reason(),
          ReplicatedTables.rowCounts(connection, shapes(connection, "serve a load to " + peer)));
    } catch (SQLException e) {
      throw new LoadException(
          nodeId + " could not preview a reload of " + peer + ": " + e.getMessage(), e);
    }
  }

  /**
   * The rows this node holds in each table it replicates, by table name, counted now: on a hub,
   * what its peers load; on a client, what a reload from its hub replaces.
   *
   * @throws LoadException when a replicated table has no primary key
   */
  public Map<String, Long> rowCounts() {
    try (Connection connection = dataSource.getConnection()) {
      return ReplicatedTables.rowCounts(connection, shapes(connection, "count its rows"));
    } catch (SQLException e) {
      throw new LoadException(nodeId + " could not count its rows: " + e.getMessage(), e);
    }
  }

  /**
   * Asks the peer to reload from this hub: notes it in {@code ds_reload} (state {@code DUE}, the
   * reason naming who asked), in one transaction, and wakes the pulls this hub holds open so that
   * the peer hears it at once. A reload already due is left as it is (its reason too).
   *
   * @param requestedBy who asks, as the reason names them (e.g. {@code "alice (console)"})
   * @return true when the reload was noted now, false when one was due already
   * @throws LoadException when the peer is this node, its upstream or not a known peer, or a
   *     replicated table has no primary key (the peer could not load); nothing is written then
   */
  public boolean request(String peer, String requestedBy) {
    if (requestedBy == null || requestedBy.isBlank()) {
      throw new IllegalArgumentException(
          "requestedBy must name who asks for the reload, but was '" + requestedBy + "'");
    }
    String reason =
        "reload of "
            + peer
            + " from "
            + nodeId
            + " requested by "
            + requestedBy.strip()
            + ": its rows are replaced by those of "
            + nodeId
            + ", its writes not pushed yet are kept";
    boolean noted =
        noteOnce(
            "the reload of " + peer,
            connection -> {
              requireKnownPeer(connection, peer);
              shapes(connection, "serve a load to " + peer);
              if (ReloadRows.read(connection, peer, nodeId) != null) {
                return false;
              }
              ReloadRows.put(connection, peer, nodeId, ReloadRows.DUE, reason);
              return true;
            });
    if (!noted) {
      return false;
    }
    LOG.info(
        "Reload of {} requested by {}: {} refuses its pulls until it has reloaded",
        peer,
        requestedBy.strip(),
        nodeId);
    DeltaSignal.of(nodeId).raise(); // a pull held open for the peer is refused now, not later
    return true;
  }

  /** The peers that must reload from this hub before it serves them again, reason by peer id. */
  public Map<String, String> due() {
    Map<String, String> due = new TreeMap<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT node_id, reason FROM ds_reload WHERE source_id = ?")) {
      select.setString(1, nodeId);
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          due.put(row.getString(1), row.getString(2));
        }
      }
      return due;
    } catch (SQLException e) {
      throw new LoadException(
          nodeId + " could not read which peers must reload: " + e.getMessage(), e);
    }
  }

  /**
   * Asks the peer to reload one table from this hub: notes it in {@code ds_table_reload} (state
   * {@code DUE}), which the hub tells the peer in the answers to its pulls over HTTP (or to its
   * load route's asks, over JMS or files) until the peer reports the reload done or failed, and
   * wakes the pulls this hub holds open. Unlike {@link #request}, the peer's pulls go on meanwhile:
   * it reloads the table page by page while it keeps applying the hub's deltas, and its pointer
   * stays where it is. A request due already for the table is left as it is; one that failed is
   * replaced.
   *
   * @param table the table, as this hub names it (any case)
   * @param requestedBy who asks (e.g. {@code "alice (console)"})
   * @return true when the request was noted now, false when one was due already
   * @throws LoadException when the peer is this node, its upstream or not a known peer, or this hub
   *     does not replicate the table or it has no primary key; nothing is written then
   */
  public boolean requestTable(String peer, String table, String requestedBy) {
    if (requestedBy == null || requestedBy.isBlank()) {
      throw new IllegalArgumentException(
          "requestedBy must name who asks for the reload, but was '" + requestedBy + "'");
    }
    String stripped = requestedBy.strip();
    String by =
        stripped.length() > REQUESTED_BY_CHARS
            ? stripped.substring(0, REQUESTED_BY_CHARS - 3) + "..."
            : stripped;
    String name = requestableTable(peer, table);
    boolean noted =
        noteOnce(
            "the reload of table " + name + " of " + peer,
            connection -> {
              TableReloadRows.Row before = TableReloadRows.read(connection, peer, nodeId, name);
              if (before != null && before.state().equals(TableReloadRows.DUE)) {
                return false;
              }
              TableReloadRows.due(connection, peer, nodeId, name, DeltaIds.next(), by);
              return true;
            });
    if (!noted) {
      return false;
    }
    LOG.info(
        "Reload of table {} of {} requested by {}: {} tells it at its next pull",
        name,
        peer,
        LogText.of(by),
        nodeId);
    due = null;
    DeltaSignal.of(nodeId).raise(); // a pull held open for the peer is answered now, with it
    return true;
  }

  /**
   * The table reloads this hub asked of its peers that are still due or failed, by peer and table.
   */
  public List<TableReloadRequest> tableReloads() {
    try (Connection connection = dataSource.getConnection()) {
      List<TableReloadRequest> requests = new ArrayList<>();
      for (TableReloadRows.Row row : TableReloadRows.of(connection, nodeId, null)) {
        requests.add(request(row));
      }
      return requests;
    } catch (SQLException e) {
      throw new LoadException(
          nodeId + " could not read the table reloads it asked for: " + e.getMessage(), e);
    }
  }

  /**
   * The table reloads due for the peer, by table: what the answer to its next pull tells it. Read
   * from the database at most once a second (this hub's own requests and reports are seen at once),
   * so that answering a pull costs no query.
   */
  public List<TableReloadRequest> tableReloadsDue(String peer) {
    Map<String, List<TableReloadRequest>> read = due;
    if (read == null || System.nanoTime() - dueReadAt > DUE_READ_EVERY_NANOS) {
      Map<String, List<TableReloadRequest>> fresh = new TreeMap<>();
      for (TableReloadRequest request : tableReloads()) {
        if (!request.failed()) {
          fresh.computeIfAbsent(request.peer(), p -> new ArrayList<>()).add(request);
        }
      }
      dueReadAt = System.nanoTime();
      due = read = fresh;
    }
    return read.getOrDefault(peer, List.of());
  }

  /**
   * The peer reports how the table reload it was asked for ended: done ({@code error} null), which
   * ends the request, or failed, which the request then shows (it is not told again until asked
   * anew). Logs one line. A report of no due request (reported twice, or asked anew since) changes
   * nothing.
   *
   * @return whether a request due for the peer had that id
   */
  public boolean tableReloadEnded(String peer, String id, String error) {
    TableReloadRows.Row ended;
    try (Connection connection = dataSource.getConnection()) {
      ended = TableReloadRows.end(connection, peer, nodeId, id, error);
    } catch (SQLException e) {
      throw new LoadException(
          nodeId
              + " could not note the end of the table reload "
              + LogText.of(id)
              + " of "
              + peer
              + ": "
              + e.getMessage(),
          e);
    }
    if (ended == null) {
      return false;
    }
    due = null;
    if (error == null) {
      LOG.info(
          "{} reloaded table {} from {}, as {} asked",
          peer,
          ended.table(),
          nodeId,
          LogText.of(ended.requestedBy()));
    } else {
      LOG.warn(
          "{} could not reload table {} from {}, as {} asked: {}; ask again once the cause is"
              + " removed",
          peer,
          ended.table(),
          nodeId,
          LogText.of(ended.requestedBy()),
          LogText.of(error));
    }
    return true;
  }

  /**
   * Withdraws the peer's table reload request of the table, due or failed (a peer that neither
   * pulls over HTTP nor asks through a load route is not told); whether there was one.
   */
  public boolean cancelTable(String peer, String table) {
    try (Connection connection = dataSource.getConnection()) {
      boolean deleted =
          TableReloadRows.delete(
              connection, peer, nodeId, table == null ? "" : table.toLowerCase(Locale.ROOT));
      due = null;
      return deleted;
    } catch (SQLException e) {
      throw new LoadException(
          nodeId + " could not withdraw a table reload of " + peer + ": " + e.getMessage(), e);
    }
  }

  private static TableReloadRequest request(TableReloadRows.Row row) {
    boolean failed = row.state().equals(TableReloadRows.FAILED);
    return new TableReloadRequest(
        row.nodeId(),
        row.table(),
        row.requestId(),
        row.requestedBy(),
        failed,
        failed ? row.error() : null,
        row.notedAt());
  }

  /**
   * The table's name as this hub replicates it, lower case, for a peer it serves; refuses another
   * node, and a table it does not replicate or without a primary key.
   */
  private String requestableTable(String peer, String table) {
    try (Connection connection = dataSource.getConnection()) {
      requireKnownPeer(connection, peer);
      return replicatedTable(connection, table, peer);
    } catch (SQLException e) {
      throw new LoadException(
          nodeId
              + " could not note the reload of table "
              + LogText.of(table)
              + " of "
              + peer
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * The table's name as this hub replicates it, lower case; refuses a table it does not replicate
   * or without a primary key.
   */
  private String replicatedTable(Connection connection, String table, String peer)
      throws SQLException {
    String name = table == null ? "" : table.strip().toLowerCase(Locale.ROOT);
    if (!ReplicatedTables.of(connection, replicatedTables).contains(name)) {
      throw new LoadException(
          nodeId
              + " does not replicate a table "
              + LogText.of(table)
              + ", so "
              + peer
              + " cannot reload it from there; the tables it replicates: "
              + String.join(", ", ReplicatedTables.of(connection, replicatedTables)));
    }
    try {
      return TableShape.of(connection, name, replicatedTables).table();
    } catch (VerifyException e) {
      throw new LoadException(
          peer + " cannot reload table " + name + " from " + nodeId + ": " + e.getMessage(), e);
    }
  }

  /** A note written at most once: false when there was one already, nothing written then. */
  private interface Note {
    boolean write(Connection connection) throws SQLException;
  }

  /**
   * Runs the note in one transaction of its own: committed when it wrote, false when it found one
   * already or another request wrote it first (a duplicate key); refusals roll back.
   */
  private boolean noteOnce(String what, Note note) {
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        boolean wrote = note.write(connection);
        connection.commit();
        return wrote;
      } catch (SQLException e) {
        connection.rollback();
        if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
          return false; // another request noted it first
        }
        throw e;
      } catch (RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new LoadException(nodeId + " could not note " + what + ": " + e.getMessage(), e);
    }
  }

  /** The pointers {lastPushed, lastProcessed} of a peer this hub serves; refuses any other node. */
  private long[] requireKnownPeer(Connection connection, String peer) throws SQLException {
    Delta.requireNodeId(peer, "peer");
    if (peer.equals(nodeId)) {
      throw new LoadException(
          nodeId + " cannot reload from itself: choose one of the peers it serves");
    }
    if (peer.equals(upstream)) {
      throw new LoadException(
          peer
              + " is the hub of "
              + nodeId
              + ": "
              + nodeId
              + " reloads from it, not the other way round; to reload "
              + nodeId
              + " from "
              + peer
              + ", call Loader.reload() on "
              + nodeId);
    }
    long[] pointers = PointerRows.select(connection, nodeId, peer, false);
    if (pointers == null) {
      throw new LoadException(
          peer
              + " is not a known peer of "
              + nodeId
              + ": it has no pointers here (it never pushed to or pulled from "
              + nodeId
              + "), so there is nothing to reload; check the node id");
    }
    return pointers;
  }

  /** The shapes of the tables this node replicates; refuses tables without a primary key. */
  private List<TableShape> shapes(Connection connection, String what) throws SQLException {
    return List.copyOf(
        ReplicatedTables.shapes(
                connection, replicatedTables, nodeId + " cannot " + what + ": %s (replicated)")
            .values());
  }
}
