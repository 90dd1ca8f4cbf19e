package io.deltasync.load;

import io.deltasync.delta.Delta;
import io.deltasync.load.internal.LoadRows;
import io.deltasync.store.internal.ReloadRows;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Reads where a node's loads stand ({@link LoadProgress}) from its own database, with no loader and
 * no hub: the console reads it on any node. Every read is one short read-only look at {@code
 * ds_load} and {@code ds_reload}; a load in another process or thread shows as of its last applied
 * chunk. Thread-safe.
 */
public final class LoadProgressReader {

  private final DataSource dataSource;
  private final String nodeId;

  /**
   * @param dataSource the node's database
   * @param nodeId the node whose loads are read (its reloads due are those it takes, not those its
   *     clients must take from it)
   */
  public LoadProgressReader(DataSource dataSource, String nodeId) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.nodeId = Delta.requireNodeId(nodeId, "nodeId");
  }

  /** The node's loads and reloads due, one per peer, by peer id; empty when it never loaded. */
  public List<LoadProgress> read() {
    try (Connection connection = dataSource.getConnection()) {
      Set<String> peers = new LinkedHashSet<>(LoadRows.peers(connection));
      peers.addAll(ReloadRows.sources(connection, nodeId));
      List<LoadProgress> all = new ArrayList<>();
      for (String peer : peers.stream().sorted().toList()) {
        all.add(read(connection, peer));
      }
      return all;
    } catch (SQLException e) {
      throw new LoadException(nodeId + " could not read its load progress: " + e.getMessage(), e);
    }
  }

  /** The node's load from the peer, or empty when it never loaded from it and owes no reload. */
  public Optional<LoadProgress> read(String peer) {
    try (Connection connection = dataSource.getConnection()) {
      LoadProgress progress = read(connection, peer);
      return progress.tables().isEmpty() && progress.state() == LoadProgress.State.DONE
          ? Optional.empty()
          : Optional.of(progress);
    } catch (SQLException e) {
      throw new LoadException(
          nodeId + " could not read its load progress from " + peer + ": " + e.getMessage(), e);
    }
  }

  private LoadProgress read(Connection connection, String peer) throws SQLException {
    List<LoadRows.Progress> rows = LoadRows.read(connection, peer);
    ReloadRows.Reload due = ReloadRows.read(connection, nodeId, peer);
    List<LoadProgress.Table> tables = new ArrayList<>();
    long loaded = 0;
    Long total = rows.isEmpty() ? null : 0L;
    Instant started = null;
    Instant updated = null;
    String current = null;
    int done = 0;
    for (LoadRows.Progress row : rows) {
      tables.add(new LoadProgress.Table(row.table(), row.rows(), row.rowsTotal(), row.done()));
      loaded += row.rows();
      total = total == null || row.rowsTotal() == null ? null : total + row.rowsTotal();
      started = earliest(started, row.startedAt());
      updated = updated == null || row.updatedAt().isAfter(updated) ? row.updatedAt() : updated;
      if (row.done()) {
        done++;
      } else if (current == null) {
        current = row.table();
      }
    }
    LoadProgress.State state =
        due != null
            ? ReloadRows.HELD.equals(due.state())
                ? LoadProgress.State.HELD
                : LoadProgress.State.RELOAD_DUE
            : current != null ? LoadProgress.State.LOADING : LoadProgress.State.DONE;
    Instant until = state == LoadProgress.State.LOADING ? Instant.now() : updated;
    double rate = rate(loaded, started, until);
    Long left =
        state == LoadProgress.State.LOADING && total != null && rate > 0
            ? (long) Math.ceil(Math.max(0, total - loaded) / rate)
            : null;
    return new LoadProgress(
        peer,
        state,
        due == null ? null : due.reason(),
        rows.isEmpty() ? null : rows.get(0).start().loadId(),
        rows.isEmpty() ? 0 : rows.get(0).start().snapshotSeq(),
        tables.size(),
        done,
        current,
        loaded,
        total,
        started,
        updated,
        rate,
        left,
        tables);
  }

  private static double rate(long rows, Instant from, Instant until) {
    if (from == null || until == null || rows == 0) {
      return 0;
    }
    double seconds = Math.max(1, Duration.between(from, until).toMillis()) / 1000.0;
    return rows / seconds;
  }

  private static Instant earliest(Instant a, Instant b) {
    return a == null || (b != null && b.isBefore(a)) ? b : a;
  }
}
