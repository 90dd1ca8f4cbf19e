package io.deltasync.load;

import io.deltasync.delta.internal.LogText;
import io.deltasync.store.Rebase;
import io.deltasync.store.internal.IncarnationRows;
import io.deltasync.store.internal.PointerRows;
import io.deltasync.store.internal.ReloadRows;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loader's record of the reloads its node must take from the hub ({@code ds_reload}): noted when
 * the hub refuses a pull, requested by an operator, read by the pull route. Thread-safe.
 */
final class ReloadNotes {

  /** How long {@link #held()} trusts what it read. */
  private static final long HELD_READ_EVERY_NANOS = 1_000_000_000L;

  private static final Logger LOG = LoggerFactory.getLogger(Loader.class);

  private final DataSource dataSource;
  private final String nodeId;
  private final String hubId;
  private volatile Optional<String> held;
  private volatile long heldReadAt;

  ReloadNotes(DataSource dataSource, String nodeId, String hubId) {
    this.dataSource = dataSource;
    this.nodeId = nodeId;
    this.hubId = hubId;
  }

  /** See {@link Loader#reloadNeeded}. */
  void needed(String reason, Loader.Reload reload) {
    if (reason == null) {
      throw new NullPointerException("reason");
    }
    String state = reload == Loader.Reload.AUTO ? ReloadRows.DUE : ReloadRows.HELD;
    try (Connection connection = dataSource.getConnection()) {
      if (ReloadRows.read(connection, nodeId, hubId) != null) {
        held = null;
        return; // noted already: reloading, or held for an operator
      }
      PointerRows.ensure(connection, nodeId, hubId);
      long[] pointer = PointerRows.select(connection, nodeId, hubId, false);
      long lastProcessed = pointer == null ? 0 : pointer[1];
      String gap =
          nodeId
              + " cannot continue from "
              + hubId
              + " after seq "
              + lastProcessed
              + " with deltas: "
              + reason;
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        ReloadRows.put(connection, nodeId, hubId, state, gap);
        String incarnation = IncarnationRows.peerIncarnation(connection, nodeId, hubId);
        IncarnationRows.rebase(
            connection,
            new Rebase(
                nodeId,
                hubId,
                lastProcessed,
                lastProcessed,
                incarnation,
                incarnation,
                "reload needed, "
                    + (reload == Loader.Reload.AUTO ? "automatic" : "held")
                    + ": "
                    + gap,
                Instant.now()));
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
      LOG.warn(
          "{}; {}",
          LogText.of(gap),
          reload == Loader.Reload.AUTO
              ? "reloading from a snapshot of " + hubId + " (deltasync.load.reload=auto)"
              : "held: it pulls nothing until an operator reloads it"
                  + " (deltasync.load.reload=manual; Loader.reload())");
      held = null;
    } catch (SQLException e) {
      throw new LoadException(
          nodeId + " could not note that it must reload from " + hubId + ": " + reason, e);
    }
  }

  /** See {@link Loader#reload()}. */
  void requested() {
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        ReloadRows.Reload before = ReloadRows.read(connection, nodeId, hubId);
        ReloadRows.put(
            connection,
            nodeId,
            hubId,
            ReloadRows.DUE,
            before == null ? "reload requested by an operator" : null);
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
      LOG.info("{}: reload from {} requested; it runs in place of the next pull", nodeId, hubId);
      held = null;
    } catch (SQLException e) {
      throw new LoadException(nodeId + " could not request a reload from " + hubId, e);
    }
  }

  /** See {@link Loader#held()}. */
  Optional<String> held() {
    Optional<String> known = held;
    if (known == null || System.nanoTime() - heldReadAt > HELD_READ_EVERY_NANOS) {
      try (Connection connection = dataSource.getConnection()) {
        ReloadRows.Reload due = ReloadRows.read(connection, nodeId, hubId);
        known =
            due != null && ReloadRows.HELD.equals(due.state())
                ? Optional.of(due.reason())
                : Optional.empty();
      } catch (SQLException e) {
        throw new LoadException(nodeId + " could not read its reload state", e);
      }
      held = known;
      heldReadAt = System.nanoTime();
    }
    return known;
  }
}
