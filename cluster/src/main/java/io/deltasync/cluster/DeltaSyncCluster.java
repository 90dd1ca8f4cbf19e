package io.deltasync.cluster;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MapStoreConfig;
import com.hazelcast.config.MapStoreConfig.InitialLoadMode;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.deltasync.cluster.internal.LagRows;
import io.deltasync.cluster.internal.MemberAttributes;
import io.deltasync.cluster.internal.NodePointersSerializer;
import io.deltasync.cluster.internal.PointerMapStore;
import io.deltasync.node.Leadership;
import io.deltasync.store.JdbcDeltaStore;
import io.deltasync.store.NodePointers;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import javax.sql.DataSource;

/**
 * One node's part in a Hazelcast cluster: its {@link ClusteredDeltaStore}, its {@link Leadership},
 * its {@link NodeRegistry}, and the {@link ClusterView} the console reads.
 *
 * <pre>{@code
 * ClusterSettings settings = ClusterSettings.defaults("hub", NodeRole.HUB);
 * Config config = DeltaSyncCluster.prepare(new Config(), settings, dataSource);
 * DeltaSyncCluster cluster =
 *     DeltaSyncCluster.start(Hazelcast.newHazelcastInstance(config), settings, dataSource);
 * SyncNode hub = new SyncNode(cluster.store(), applier, 500);
 * }</pre>
 *
 * A member's {@link Config} must be {@linkplain #prepare prepared} before the member starts; a
 * client's {@link ClientConfig} too ({@link #prepare(ClientConfig)}). A client process follows the
 * cluster's pointers and registry but never leads over other processes of its node (it is not in
 * the member list): run every process of a multi-process hub as a member. Closing this object stops
 * heartbeats and leadership; it does not shut the Hazelcast instance down. Thread-safe.
 */
public final class DeltaSyncCluster implements ClusterView, AutoCloseable {

  /** The name of the pointer map, {@code nodeId/peerId} to {@link NodePointers}. */
  public static final String POINTER_MAP = "deltasync.pointers";

  private final HazelcastInstance hazelcast;
  private final ClusterSettings settings;
  private final ClusteredDeltaStore store;
  private final Leadership leadership;
  private final NodeRegistry registry;
  private final LagRows lagRows;
  private final Clock clock = Clock.systemUTC();

  private DeltaSyncCluster(
      HazelcastInstance hazelcast,
      ClusterSettings settings,
      ClusteredDeltaStore store,
      Leadership leadership,
      NodeRegistry registry,
      LagRows lagRows) {
    this.hazelcast = hazelcast;
    this.settings = settings;
    this.store = store;
    this.leadership = leadership;
    this.registry = registry;
    this.lagRows = lagRows;
  }

  /**
   * Adds what a DeltaSync member needs to a Hazelcast member config: the node's member attributes,
   * the pointer map written through to {@code ds_node_pointer} of this node's database (loaded
   * eagerly on start), the serializer of {@link NodePointers}, failure detection bounded by {@link
   * ClusterSettings#failoverTimeout()} with heartbeats every second, SLF4J logging and no
   * phone-home (each property only when neither the config nor a system property sets it).
   * Networking and discovery are left as they are.
   *
   * @return the same config
   */
  public static Config prepare(Config config, ClusterSettings settings, DataSource dataSource) {
    MemberAttributes.apply(config, settings);
    config
        .getSerializationConfig()
        .getCompactSerializationConfig()
        .addSerializer(new NodePointersSerializer());
    MapConfig pointers = config.getMapConfig(POINTER_MAP);
    pointers.setMapStoreConfig(
        new MapStoreConfig()
            .setEnabled(true)
            .setImplementation(new PointerMapStore(dataSource, settings.nodeId()))
            .setWriteDelaySeconds(0)
            .setInitialLoadMode(InitialLoadMode.EAGER));
    config.addMapConfig(pointers);
    setUnlessSet(
        config,
        "hazelcast.max.no.heartbeat.seconds",
        Long.toString(settings.failoverTimeout().getSeconds()));
    setUnlessSet(config, "hazelcast.heartbeat.interval.seconds", "1");
    setUnlessSet(config, "hazelcast.logging.type", "slf4j");
    setUnlessSet(config, "hazelcast.phone.home.enabled", "false");
    return config;
  }

  private static void setUnlessSet(Config config, String property, String value) {
    if (config.getProperty(property) == null && System.getProperty(property) == null) {
      config.setProperty(property, value);
    }
  }

  /**
   * Adds the serializer of {@link NodePointers} to a Hazelcast client config.
   *
   * @return the same config
   */
  public static ClientConfig prepare(ClientConfig config) {
    config
        .getSerializationConfig()
        .getCompactSerializationConfig()
        .addSerializer(new NodePointersSerializer());
    return config;
  }

  /**
   * Joins this node to the cluster of a started member or client: publishes the node's pointers and
   * registry rows from its database, starts heartbeats and, on a member, leadership.
   *
   * @param dataSource the node's database, holding the DeltaSync schema
   */
  public static DeltaSyncCluster start(
      HazelcastInstance hazelcast, ClusterSettings settings, DataSource dataSource) {
    IMap<String, NodePointers> pointers = hazelcast.getMap(POINTER_MAP);
    ClusteredDeltaStore store =
        new ClusteredDeltaStore(new JdbcDeltaStore(dataSource, settings.nodeId()), pointers);
    store.publish();
    Leadership leadership =
        hazelcast.getLocalEndpoint() instanceof Member
            ? new HazelcastLeadership(hazelcast, settings.nodeId())
            : Leadership.ALWAYS;
    if (leadership instanceof HazelcastLeadership member) {
      member.onChange(
          leads -> {
            if (leads) {
              FormerLeaders.endTheirApplies(settings.nodeId(), dataSource);
            }
          });
    }
    NodeRegistry registry = new NodeRegistry(hazelcast, settings, dataSource).start();
    return new DeltaSyncCluster(
        hazelcast, settings, store, leadership, registry, new LagRows(dataSource));
  }

  /** This node's store: the node's database, with pointers shared through the cluster. */
  public ClusteredDeltaStore store() {
    return store;
  }

  /** Whether this process leads its node. */
  public Leadership leadership() {
    return leadership;
  }

  /** The node registry; also this node's {@code PeerContacts}. */
  public NodeRegistry registry() {
    return registry;
  }

  /** The settings this node joined with. */
  public ClusterSettings settings() {
    return settings;
  }

  /** The Hazelcast member or client this node uses. */
  public HazelcastInstance hazelcast() {
    return hazelcast;
  }

  @Override
  public List<NodeState> nodes() {
    return registry.nodes();
  }

  @Override
  public List<NodePointers> pointers() {
    IMap<String, NodePointers> map = hazelcast.getMap(POINTER_MAP);
    return map.values().stream()
        .sorted(Comparator.comparing(NodePointers::nodeId).thenComparing(NodePointers::peerId))
        .toList();
  }

  @Override
  public List<PeerLag> lag() {
    Instant now = clock.instant();
    return store.allPointers().stream().map(pointers -> lagRows.lag(pointers, now)).toList();
  }

  /** Stops heartbeats and leadership; the Hazelcast instance stays up. */
  @Override
  public void close() {
    registry.close();
    if (leadership instanceof HazelcastLeadership member) {
      member.close();
    }
  }
}
