package io.deltasync.cluster.internal;

import io.deltasync.cluster.NodeInfo;
import io.deltasync.cluster.NodeRole;
import io.deltasync.store.DeltaStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The SQL of {@code ds_node}: the registry entries a node keeps in its own database. */
public final class NodeRows {

  private static final String UPDATE =
      "UPDATE ds_node SET role = ?, address = ?, version = ?, seen_via = ?, first_seen = ?,"
          + " last_heartbeat = ? WHERE node_id = ?";
  private static final String INSERT =
      "INSERT INTO ds_node (role, address, version, seen_via, first_seen, last_heartbeat,"
          + " node_id) VALUES (?, ?, ?, ?, ?, ?, ?)";

  private final DataSource dataSource;

  public NodeRows(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Writes the entry, inserting its row when there is none yet. */
  public void save(NodeInfo node) {
    try (Connection connection = dataSource.getConnection()) {
      if (write(connection, UPDATE, node) == 0) {
        try {
          write(connection, INSERT, node);
        } catch (SQLException e) {
          if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
            throw e;
          }
          if (!connection.getAutoCommit()) {
            connection.rollback();
          }
          write(connection, UPDATE, node); // another member inserted it first
        }
      }
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
    } catch (SQLException e) {
      throw new DeltaStoreException("could not save node " + node.nodeId() + " in ds_node", e);
    }
  }

  /** Every entry, ordered by node id. */
  public List<NodeInfo> all() {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT node_id, role, address, version, seen_via, first_seen, last_heartbeat"
                    + " FROM ds_node ORDER BY node_id");
        ResultSet rows = select.executeQuery()) {
      List<NodeInfo> nodes = new ArrayList<>();
      while (rows.next()) {
        nodes.add(
            new NodeInfo(
                rows.getString(1),
                NodeRole.valueOf(rows.getString(2)),
                rows.getString(3),
                rows.getString(4),
                rows.getString(5),
                rows.getTimestamp(6).toInstant(),
                rows.getTimestamp(7).toInstant()));
      }
      return nodes;
    } catch (SQLException e) {
      throw new DeltaStoreException("could not read ds_node", e);
    }
  }

  private static int write(Connection connection, String sql, NodeInfo node) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, node.role().name());
      statement.setString(2, truncate(node.address(), 512));
      statement.setString(3, truncate(node.version(), 64));
      statement.setString(4, node.seenVia());
      statement.setTimestamp(5, Timestamp.from(node.firstSeen()));
      statement.setTimestamp(6, Timestamp.from(node.lastHeartbeat()));
      statement.setString(7, node.nodeId());
      return statement.executeUpdate();
    }
  }

  private static String truncate(String value, int length) {
    return value == null || value.length() <= length ? value : value.substring(0, length);
  }
}
