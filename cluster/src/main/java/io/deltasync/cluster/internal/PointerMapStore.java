package io.deltasync.cluster.internal;

import com.hazelcast.map.MapStore;
import io.deltasync.delta.Delta;
import io.deltasync.store.DeltaStoreException;
import io.deltasync.store.NodePointers;
import io.deltasync.store.internal.PointerRows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Writes the pointer map through to {@code ds_node_pointer} and loads it from there, for the
 * entries of the one node whose database this member has.
 *
 * <p>A cluster may join nodes that each have their own database, and Hazelcast calls the store of
 * whichever member owns an entry's partition. So a member persists only entries of its own node
 * (every member of a hub has the hub's id and database) and ignores the others, which their own
 * nodes persist; loading likewise returns only its own node's rows. Writes only move pointers
 * forward: the node's store writes the database first (the applier moves {@code lastProcessed} in
 * its own transaction, a reset moves {@code lastPushed} back), and the map never holds more than
 * the database, so a write from the map can never undo one. Entries are never deleted.
 */
public final class PointerMapStore implements MapStore<String, NodePointers> {

  private final DataSource dataSource;
  private final String nodeId;

  public PointerMapStore(DataSource dataSource, String nodeId) {
    this.dataSource = dataSource;
    this.nodeId = Delta.requireNodeId(nodeId, "nodeId");
  }

  @Override
  public void store(String key, NodePointers value) {
    if (!nodeId.equals(value.nodeId())) {
      return;
    }
    try (Connection connection = dataSource.getConnection()) {
      PointerRows.ensure(connection, nodeId, value.peerId());
      PointerRows.advance(connection, nodeId, value.peerId(), "last_pushed", value.lastPushed());
      PointerRows.advance(
          connection, nodeId, value.peerId(), "last_processed", value.lastProcessed());
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
    } catch (SQLException e) {
      throw new DeltaStoreException("could not write the pointers " + value, e);
    }
  }

  @Override
  public void storeAll(Map<String, NodePointers> entries) {
    entries.forEach(this::store);
  }

  @Override
  public void delete(String key) {
    // pointers are never deleted through the map
  }

  @Override
  public void deleteAll(Collection<String> keys) {
    // pointers are never deleted through the map
  }

  @Override
  public NodePointers load(String key) {
    if (!nodeId.equals(PointerKeys.nodeOf(key))) {
      return null;
    }
    String peer = PointerKeys.peerOf(key);
    try (Connection connection = dataSource.getConnection()) {
      long[] row = PointerRows.select(connection, nodeId, peer, false);
      return row == null ? null : new NodePointers(nodeId, peer, row[0], row[1]);
    } catch (SQLException e) {
      throw new DeltaStoreException("could not read the pointers of peer " + peer, e);
    }
  }

  @Override
  public Map<String, NodePointers> loadAll(Collection<String> keys) {
    Map<String, NodePointers> loaded = new HashMap<>();
    for (String key : keys) {
      NodePointers pointers = load(key);
      if (pointers != null) {
        loaded.put(key, pointers);
      }
    }
    return loaded;
  }

  @Override
  public Iterable<String> loadAllKeys() {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT peer_id FROM ds_node_pointer WHERE node_id = ? ORDER BY peer_id")) {
      select.setString(1, nodeId);
      List<String> keys = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          keys.add(PointerKeys.of(nodeId, rows.getString(1)));
        }
      }
      return keys;
    } catch (SQLException e) {
      throw new DeltaStoreException("could not list the pointers of node " + nodeId, e);
    }
  }
}
