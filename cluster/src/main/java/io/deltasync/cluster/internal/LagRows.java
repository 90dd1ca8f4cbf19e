package io.deltasync.cluster.internal;

import io.deltasync.cluster.PeerLag;
import io.deltasync.store.DeltaStoreException;
import io.deltasync.store.NodePointers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;

/** Counts, in a node's own {@code ds_delta}, what a peer has not acknowledged yet. */
public final class LagRows {

  // the same deltas JdbcDeltaStore.pendingFor sends: not originated by the peer, not received from
  // it
  private static final String BEHIND =
      "SELECT COUNT(*), MIN(stored_at) FROM ds_delta WHERE seq > ? AND origin <> ?"
          + " AND (received_from IS NULL OR received_from <> ?)";

  private final DataSource dataSource;

  public LagRows(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** How far the peer of these pointers is behind their node, as of {@code now}. */
  public PeerLag lag(NodePointers pointers, Instant now) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(BEHIND)) {
      select.setLong(1, pointers.lastPushed());
      select.setString(2, pointers.peerId());
      select.setString(3, pointers.peerId());
      try (ResultSet row = select.executeQuery()) {
        row.next();
        long behind = row.getLong(1);
        Timestamp oldest = row.getTimestamp(2);
        long seconds =
            behind == 0 || oldest == null
                ? 0
                : Math.max(0, Duration.between(oldest.toInstant(), now).getSeconds());
        return new PeerLag(pointers.nodeId(), pointers.peerId(), behind, seconds);
      }
    } catch (SQLException e) {
      throw new DeltaStoreException(
          "could not count the deltas peer " + pointers.peerId() + " is behind", e);
    }
  }
}
