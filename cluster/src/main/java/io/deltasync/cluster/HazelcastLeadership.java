package io.deltasync.cluster;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import io.deltasync.cluster.internal.MemberAttributes;
import io.deltasync.node.Leadership;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leadership among the members of one node: the oldest cluster member carrying the node's id leads.
 *
 * <p>Hazelcast orders its member list by join time, identically on every member, so each member
 * works out the same leader from its own list, with no election round trips and no lock to renew.
 * When the leader leaves or dies, Hazelcast removes it from the list, after at most {@code
 * hazelcast.max.no.heartbeat.seconds} (set from {@link ClusterSettings#failoverTimeout()}) when it
 * dies silently, and sooner when its connections close; the next oldest member of the node then
 * leads. A newer member joining never takes over. During a split brain each side elects its own
 * leader; that is safe, because applying serialises on the sender's pointer row and recognises
 * deltas by id, and pointers only move forward.
 *
 * <p>Listeners run on Hazelcast's event threads (or the caller's, for the first call) and must not
 * block. Thread-safe.
 */
public final class HazelcastLeadership implements Leadership, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastLeadership.class);

  private final HazelcastInstance hazelcast;
  private final String nodeId;
  private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
  private final UUID membershipRegistration;
  private final UUID lifecycleRegistration;
  private volatile boolean leader;
  private volatile boolean closed;

  /**
   * Starts following the membership of a member's cluster.
   *
   * @param hazelcast a cluster member (not a client) whose config carries the node id attribute
   * @param nodeId the node this member belongs to
   */
  public HazelcastLeadership(HazelcastInstance hazelcast, String nodeId) {
    this.hazelcast = hazelcast;
    this.nodeId = nodeId;
    Cluster cluster = hazelcast.getCluster();
    String attribute = cluster.getLocalMember().getAttribute(MemberAttributes.NODE_ID);
    if (!nodeId.equals(attribute)) {
      throw new IllegalArgumentException(
          "member attribute "
              + MemberAttributes.NODE_ID
              + " must be the node id "
              + nodeId
              + ", but was "
              + attribute
              + ": prepare the member's Config with DeltaSyncCluster.prepare before starting it");
    }
    this.membershipRegistration =
        cluster.addMembershipListener(
            new MembershipListener() {
              @Override
              public void memberAdded(MembershipEvent event) {
                evaluate();
              }

              @Override
              public void memberRemoved(MembershipEvent event) {
                evaluate();
              }
            });
    this.lifecycleRegistration =
        hazelcast
            .getLifecycleService()
            .addLifecycleListener(
                event -> {
                  if (event.getState() == LifecycleState.SHUTTING_DOWN
                      || event.getState() == LifecycleState.SHUTDOWN) {
                    change(false);
                  }
                });
    evaluate();
  }

  @Override
  public boolean isLeader() {
    return leader && !closed && hazelcast.getLifecycleService().isRunning();
  }

  @Override
  public AutoCloseable onChange(Consumer<Boolean> listener) {
    listeners.add(listener);
    listener.accept(isLeader());
    return () -> listeners.remove(listener);
  }

  /** Stops following the cluster; this member no longer leads. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    try {
      if (hazelcast.getLifecycleService().isRunning()) {
        hazelcast.getCluster().removeMembershipListener(membershipRegistration);
        hazelcast.getLifecycleService().removeLifecycleListener(lifecycleRegistration);
      }
    } finally {
      change(false);
      closed = true;
    }
  }

  private void evaluate() {
    if (closed || !hazelcast.getLifecycleService().isRunning()) {
      change(false);
      return;
    }
    Member oldest =
        hazelcast.getCluster().getMembers().stream()
            .filter(member -> nodeId.equals(member.getAttribute(MemberAttributes.NODE_ID)))
            .findFirst()
            .orElse(null);
    change(oldest != null && oldest.localMember());
  }

  private synchronized void change(boolean now) {
    if (now == leader) {
      return;
    }
    leader = now;
    if (now) {
      LOG.info("This member now leads node {}", nodeId);
    } else {
      LOG.info("This member no longer leads node {}", nodeId);
    }
    for (Consumer<Boolean> listener : listeners) {
      try {
        listener.accept(now);
      } catch (RuntimeException e) {
        LOG.warn("A leadership listener failed", e);
      }
    }
  }
}
