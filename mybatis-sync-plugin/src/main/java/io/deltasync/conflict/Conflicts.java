package io.deltasync.conflict;

import io.deltasync.conflict.internal.ConflictEngine;
import io.deltasync.conflict.internal.ConflictRows;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The conflicts a hub recorded in {@code ds_conflict}: list them, show one, and resolve the parked
 * ones. What the console calls.
 *
 * <p>Resolving runs in one transaction on the hub's database: it applies the decision to the row,
 * marks the conflict resolved with who decided and how, and stores a row-image delta that brings
 * every node, the conflict's origin included, to the same row. Thread-safe.
 */
public final class Conflicts {

  /** The most conflicts {@link #list} returns at once. */
  public static final int MAX_LIST = 1_000;

  private final DataSource dataSource;
  private final ConflictEngine engine;

  /**
   * @param dataSource the hub's database, holding {@code ds_conflict}
   * @param nodeId the hub's node id, the origin of the row images it sends
   */
  public Conflicts(DataSource dataSource, String nodeId) {
    this.dataSource = dataSource;
    this.engine = new ConflictEngine(nodeId, null);
  }

  /**
   * Conflicts, newest first.
   *
   * @param status only those with this status; null for all
   * @param limit at most this many, 1 to {@link #MAX_LIST}
   */
  public List<ConflictRecord> list(ConflictStatus status, int limit) {
    if (limit < 1 || limit > MAX_LIST) {
      throw new IllegalArgumentException(
          "limit must be between 1 and " + MAX_LIST + ", but was " + limit);
    }
    try (Connection connection = dataSource.getConnection()) {
      return ConflictRows.list(connection, status, limit);
    } catch (SQLException e) {
      throw new ConflictException("could not list conflicts: " + e.getMessage(), e);
    }
  }

  /** One conflict, or empty when there is none with that number. */
  public Optional<ConflictRecord> find(long id) {
    try (Connection connection = dataSource.getConnection()) {
      return ConflictRows.find(connection, id, false);
    } catch (SQLException e) {
      throw new ConflictException("could not read conflict " + id + ": " + e.getMessage(), e);
    }
  }

  /** How many conflicts have the status; null counts all. */
  public long count(ConflictStatus status) {
    try (Connection connection = dataSource.getConnection()) {
      return ConflictRows.count(connection, status);
    } catch (SQLException e) {
      throw new ConflictException("could not count conflicts: " + e.getMessage(), e);
    }
  }

  /**
   * Resolves a parked conflict.
   *
   * @param id the conflict's number
   * @param resolution {@link Resolution#keepHub()}, {@link Resolution#takeIncoming()}, {@link
   *     Resolution#row(Row)} (custom values; columns not given keep the hub's) or {@link
   *     Resolution#delete()}; the last two for row-level conflicts only
   * @param resolvedBy who decided, recorded with the conflict
   * @return the conflict as resolved
   * @throws ConflictException when there is no such conflict, it is resolved already, or the
   *     decision cannot be applied (nothing is changed then)
   */
  public ConflictRecord resolve(long id, Resolution resolution, String resolvedBy) {
    if (resolution == null || resolution instanceof Resolution.Park) {
      throw new IllegalArgumentException(
          "a resolution must keep the hub's row, take the incoming change, write a row or delete"
              + " it, but was "
              + resolution);
    }
    if (resolvedBy == null || resolvedBy.isBlank()) {
      throw new IllegalArgumentException("resolvedBy must name who decided, but was blank");
    }
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        ConflictRows.lock(connection);
        ConflictRecord record =
            ConflictRows.find(connection, id, true)
                .orElseThrow(() -> new ConflictException("there is no conflict " + id));
        if (!record.open()) {
          throw new ConflictException(
              "conflict "
                  + id
                  + " was resolved already by "
                  + record.resolvedBy()
                  + " at "
                  + record.resolvedAt()
                  + " ("
                  + record.outcome()
                  + ")");
        }
        engine.resolveParked(connection, record, resolution, resolvedBy.trim());
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
      return ConflictRows.find(connection, id, false).orElseThrow();
    } catch (SQLException e) {
      throw new ConflictException(
          "could not resolve conflict " + id + ": " + e.getMessage() + "; nothing was changed", e);
    }
  }
}
