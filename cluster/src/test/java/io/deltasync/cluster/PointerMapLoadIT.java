package io.deltasync.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import io.deltasync.store.JdbcDeltaStore;
import io.deltasync.store.NodePointers;
import org.junit.jupiter.api.Test;

/**
 * A member's pointer map is loaded from {@code ds_node_pointer} when the member starts, by the
 * MapStore alone (before the node publishes anything), and only with its own node's rows.
 */
class PointerMapLoadIT {

  private final TestCluster cluster = new TestCluster("pointer-map-load", 5780, 1);

  @Test
  void aStartingMemberLoadsItsNodesPointersFromTheTable() {
    TestDatabase db = TestDatabases.h2("pointer-map-load").migrate();
    new JdbcDeltaStore(db.dataSource(), "hub").markPushed("node-a", 31);
    new JdbcDeltaStore(db.dataSource(), "hub").markPushed("node-b", 32);
    new JdbcDeltaStore(db.dataSource(), "other").markPushed("node-a", 99);
    ClusterSettings settings = ClusterSettings.defaults("hub", NodeRole.HUB);
    HazelcastInstance member =
        Hazelcast.newHazelcastInstance(
            DeltaSyncCluster.prepare(cluster.config(), settings, db.dataSource()));
    try {
      IMap<String, NodePointers> pointers = member.getMap(DeltaSyncCluster.POINTER_MAP);

      assertThat(pointers.values())
          .containsExactlyInAnyOrder(
              new NodePointers("hub", "node-a", 31, 0), new NodePointers("hub", "node-b", 32, 0));
    } finally {
      member.getLifecycleService().terminate();
    }
  }
}
