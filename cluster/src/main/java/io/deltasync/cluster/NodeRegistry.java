package io.deltasync.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.deltasync.cluster.internal.MemberAttributes;
import io.deltasync.cluster.internal.MergeNode;
import io.deltasync.cluster.internal.NodeRows;
import io.deltasync.delta.Delta;
import io.deltasync.node.PeerContacts;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's registry of nodes, in a Hazelcast map of {@link NodeInfo} by node id, with each
 * node's status computed from its last heartbeat ({@link ClusterSettings#statusOf}).
 *
 * <p>Fed by three sources: every member reports its own node every {@code heartbeatInterval};
 * membership events record a joining member's node at once; and, as the node's {@link
 * PeerContacts}, every contact from a remote node that is not a member (a client syncing over HTTP)
 * records that node, {@code seenVia} this one. Reports merge (earliest {@code firstSeen}, latest
 * {@code lastHeartbeat}), so members may report in any order.
 *
 * <p>Persistence follows the pointer rule: a member writes to {@code ds_node} in its own database
 * only what its node reports (itself and its remote contacts), and on {@link #start()} publishes
 * its database's rows into the map, so a full cluster restart brings the registry back. The oldest
 * member of the cluster logs status changes. Thread-safe.
 */
public final class NodeRegistry implements PeerContacts, AutoCloseable {

  /** The name of the registry map. */
  public static final String MAP_NAME = "deltasync.nodes";

  private static final Logger LOG = LoggerFactory.getLogger(NodeRegistry.class);

  private final HazelcastInstance hazelcast;
  private final ClusterSettings settings;
  private final NodeRows rows;
  private final Clock clock;
  private final IMap<String, NodeInfo> nodes;
  private final Map<String, Instant> contactsSaved = new ConcurrentHashMap<>();
  private final Map<String, NodeStatus> statusesLogged = new HashMap<>();
  private final ScheduledExecutorService heartbeats;
  private UUID membershipRegistration;

  public NodeRegistry(
      HazelcastInstance hazelcast, ClusterSettings settings, DataSource dataSource) {
    this(hazelcast, settings, dataSource, Clock.systemUTC());
  }

  public NodeRegistry(
      HazelcastInstance hazelcast, ClusterSettings settings, DataSource dataSource, Clock clock) {
    this.hazelcast = hazelcast;
    this.settings = settings;
    this.rows = new NodeRows(dataSource);
    this.clock = clock;
    this.nodes = hazelcast.getMap(MAP_NAME);
    this.heartbeats =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "deltasync-heartbeat-" + settings.nodeId());
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Publishes the rows of {@code ds_node} into the map, follows membership, reports this node at
   * once and then every {@code heartbeatInterval}.
   *
   * @return this registry
   */
  public synchronized NodeRegistry start() {
    for (NodeInfo saved : rows.all()) {
      nodes.executeOnKey(saved.nodeId(), new MergeNode(saved));
    }
    membershipRegistration =
        hazelcast
            .getCluster()
            .addMembershipListener(
                new MembershipListener() {
                  @Override
                  public void memberAdded(MembershipEvent event) {
                    joined(event.getMember());
                  }

                  @Override
                  public void memberRemoved(MembershipEvent event) {
                    left(event.getMember());
                  }
                });
    heartbeat();
    long interval = settings.heartbeatInterval().toMillis();
    heartbeats.scheduleAtFixedRate(this::beat, interval, interval, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Reports this node alive now, in the map and in {@code ds_node}. */
  public void heartbeat() {
    Instant now = now();
    NodeInfo report =
        new NodeInfo(
            settings.nodeId(), settings.role(), ownAddress(), settings.version(), null, now, now);
    rows.save(nodes.executeOnKey(settings.nodeId(), new MergeNode(report)));
  }

  /**
   * Records that a remote node was in touch. A node that is a live member of the cluster is left to
   * its own heartbeats.
   */
  @Override
  public void contacted(String peerId, String address) {
    Delta.requireNodeId(peerId, "peerId");
    Instant now = now();
    NodeInfo known = nodes.get(peerId);
    if (known != null
        && known.member()
        && settings.statusOf(known.lastHeartbeat(), now) == NodeStatus.ONLINE) {
      return;
    }
    NodeInfo report =
        new NodeInfo(peerId, NodeRole.CLIENT, address, null, settings.nodeId(), now, now);
    NodeInfo merged = nodes.executeOnKey(peerId, new MergeNode(report));
    Instant saved = contactsSaved.get(peerId);
    // a busy peer is in touch many times a second; its row needs to be current to a heartbeat
    if (saved == null || !now.isBefore(saved.plus(settings.heartbeatInterval()))) {
      rows.save(merged);
      contactsSaved.put(peerId, now);
    }
  }

  /** Every node known, with its status now, ordered by node id. */
  public List<NodeState> nodes() {
    Instant now = now();
    return nodes.values().stream()
        .sorted(Comparator.comparing(NodeInfo::nodeId))
        .map(node -> new NodeState(node, settings.statusOf(node.lastHeartbeat(), now)))
        .toList();
  }

  /** One node with its status now, or null when it is unknown. */
  public NodeState node(String nodeId) {
    NodeInfo node = nodes.get(nodeId);
    return node == null
        ? null
        : new NodeState(node, settings.statusOf(node.lastHeartbeat(), now()));
  }

  /** Stops the heartbeats and membership events; the node goes STALE, then OFFLINE. */
  @Override
  public synchronized void close() {
    heartbeats.shutdownNow();
    if (membershipRegistration != null && hazelcast.getLifecycleService().isRunning()) {
      hazelcast.getCluster().removeMembershipListener(membershipRegistration);
    }
    membershipRegistration = null;
  }

  private void beat() {
    try {
      heartbeat();
      logStatusChanges();
    } catch (RuntimeException e) {
      if (hazelcast.getLifecycleService().isRunning()) {
        LOG.warn("Could not report node {} alive", settings.nodeId(), e);
      }
    }
  }

  private void joined(Member member) {
    NodeInfo node = MemberAttributes.nodeOf(member, now());
    if (node != null) {
      LOG.info("Member {} of node {} joined", node.address(), node.nodeId());
      nodes.executeOnKey(node.nodeId(), new MergeNode(node));
    }
  }

  private void left(Member member) {
    String nodeId = member.getAttribute(MemberAttributes.NODE_ID);
    if (nodeId != null) {
      LOG.info(
          "Member {} of node {} left",
          MemberAttributes.hostAndPort(member.getSocketAddress()),
          nodeId);
    }
  }

  /** The oldest member logs each node's status changes, so that they are logged once. */
  private void logStatusChanges() {
    if (!(hazelcast.getLocalEndpoint() instanceof Member local)
        || !hazelcast.getCluster().getMembers().iterator().next().equals(local)) {
      statusesLogged.clear();
      return;
    }
    for (NodeState state : nodes()) {
      NodeStatus before = statusesLogged.put(state.node().nodeId(), state.status());
      if (before != null && before != state.status()) {
        LOG.info("Node {} is now {} (was {})", state.node().nodeId(), state.status(), before);
      }
    }
  }

  /** Now, to the millisecond, as databases keep it. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private String ownAddress() {
    if (settings.address() != null) {
      return settings.address();
    }
    return MemberAttributes.hostAndPort(hazelcast.getLocalEndpoint().getSocketAddress());
  }
}
