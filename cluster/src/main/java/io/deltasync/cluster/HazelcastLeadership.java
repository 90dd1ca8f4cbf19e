package io.deltasync.cluster;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import com.hazelcast.spi.properties.ClusterProperty;
import com.hazelcast.spi.properties.HazelcastProperties;
import io.deltasync.cluster.internal.MemberAttributes;
import io.deltasync.node.Leadership;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
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
 * <p>A member whose process was not scheduled for about the failover timeout (frozen by {@code
 * SIGSTOP}, a long GC pause, a suspended VM) may have been removed by the others, who then elected
 * another leader, while its own member list still names it the oldest; once resumed, it removes
 * them in turn and would lead its own half. So a member that finds such a pause stops leading at
 * once (before its next batch: {@link #isLeader()} is false while the pause is unnoticed), waits
 * one failover timeout for its member list to settle, and leads again only if every member of its
 * node it had before the pause is still there, or once another member of its node is back in its
 * list (the halves merged), or after {@code hazelcast.merge.next.run.delay.seconds} plus twice the
 * failover timeout, the time Hazelcast takes to find and heal the split (the others are then taken
 * for gone).
 *
 * <p>Listeners run on Hazelcast's event threads, on this member's pause watch thread (a daemon,
 * ending with {@link #close()} or the Hazelcast instance), or the caller's for the first call, and
 * must not block. Thread-safe.
 */
public final class HazelcastLeadership implements Leadership, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastLeadership.class);

  private final HazelcastInstance hazelcast;
  private final String nodeId;
  private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
  private final UUID membershipRegistration;
  private final UUID lifecycleRegistration;
  private final long pauseLimit;
  private final long settleTime;
  private final long fenceLimit;
  private final LongSupplier clock;
  private final Thread watch;
  private volatile boolean leader;
  private volatile boolean closed;
  private volatile long lastTick;
  private Set<UUID> nodeMembersAtLastTick = Set.of();
  private Fence fence;

  /**
   * Starts following the membership of a member's cluster.
   *
   * @param hazelcast a cluster member (not a client) whose config carries the node id attribute
   * @param nodeId the node this member belongs to
   */
  public HazelcastLeadership(HazelcastInstance hazelcast, String nodeId) {
    this(hazelcast, nodeId, System::nanoTime, true);
  }

  /**
   * As the public constructor, with the time read from {@code clock} (nanoseconds, as {@link
   * System#nanoTime()}) and, unless {@code watching}, pauses found only when {@link #tick()} is
   * called: so a test can pause this member by moving the clock on.
   */
  HazelcastLeadership(
      HazelcastInstance hazelcast, String nodeId, LongSupplier clock, boolean watching) {
    this.hazelcast = hazelcast;
    this.nodeId = nodeId;
    this.clock = clock;
    this.lastTick = clock.getAsLong();
    HazelcastProperties properties = new HazelcastProperties(hazelcast.getConfig());
    long failover = properties.getMillis(ClusterProperty.MAX_NO_HEARTBEAT_SECONDS);
    long heartbeat = properties.getMillis(ClusterProperty.HEARTBEAT_INTERVAL_SECONDS);
    // the others remove a member whose heartbeats stop for the failover timeout: a pause of that
    // less one heartbeat interval may already be too long
    this.pauseLimit = Duration.ofMillis(Math.max(failover - heartbeat, 500)).toNanos();
    this.settleTime = Duration.ofMillis(failover).toNanos();
    this.fenceLimit =
        Duration.ofMillis(
                properties.getMillis(ClusterProperty.MERGE_NEXT_RUN_DELAY_SECONDS) + 2 * failover)
            .toNanos();
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
    synchronized (this) {
      nodeMembersAtLastTick = uuids(nodeMembers()); // a pause before the first tick knows them
    }
    evaluate();
    this.watch = new Thread(this::watch, "deltasync-leadership-" + nodeId);
    watch.setDaemon(true);
    if (watching) {
      watch.start();
    }
  }

  @Override
  public boolean isLeader() {
    return leader && !closed && !paused() && hazelcast.getLifecycleService().isRunning();
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
      watch.interrupt();
    }
  }

  private synchronized void evaluate() {
    if (closed || !hazelcast.getLifecycleService().isRunning()) {
      change(false);
      return;
    }
    List<Member> members = nodeMembers();
    if (fence != null
        && fence.lost()
        && members.stream().anyMatch(member -> !member.localMember())) {
      LOG.info("Another member of node {} is back in this member's list", nodeId);
      fence = null;
    }
    if (fence != null || paused()) {
      change(false);
      return;
    }
    change(!members.isEmpty() && members.get(0).localMember());
  }

  private List<Member> nodeMembers() {
    return hazelcast.getCluster().getMembers().stream()
        .filter(member -> nodeId.equals(member.getAttribute(MemberAttributes.NODE_ID)))
        .toList();
  }

  /** Whether this process has not been scheduled for too long, as far as it can tell yet. */
  private boolean paused() {
    return clock.getAsLong() - lastTick > pauseLimit;
  }

  private void watch() {
    while (!closed && hazelcast.getLifecycleService().isRunning()) {
      try {
        Thread.sleep(100);
        tick();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("Watching for pauses of this member failed", e);
      }
    }
  }

  /** One look at the clock, as the pause watch takes every 100 ms. */
  synchronized void tick() {
    if (closed || !hazelcast.getLifecycleService().isRunning()) {
      return;
    }
    long now = clock.getAsLong();
    long pause = now - lastTick;
    if (pause > pauseLimit) {
      LOG.warn(
          "This member was paused for {} ms, long enough for the other members to remove it:"
              + " it stops leading node {} until its member list settles",
          Duration.ofNanos(pause).toMillis(),
          nodeId);
      fence = new Fence(now, nodeMembersAtLastTick);
    }
    lastTick = now;
    if (fence == null) {
      nodeMembersAtLastTick = uuids(nodeMembers());
    } else if (now - fence.resumedAt() > settleTime) {
      settle(now);
    }
    evaluate();
  }

  private void settle(long now) {
    Set<UUID> present = uuids(nodeMembers());
    if (!fence.lost() && present.containsAll(fence.before())) {
      LOG.info("No member of node {} was removed during the pause", nodeId);
      fence = null;
    } else if (!fence.lost()) {
      LOG.warn(
          "The other members of node {} were removed during the pause (a split): this member"
              + " leads again when one of them is back in its list, or after {} s",
          nodeId,
          Duration.ofNanos(fenceLimit).toSeconds());
      fence = new Fence(fence.resumedAt(), fence.before(), true);
    } else if (now - fence.resumedAt() > fenceLimit) {
      LOG.warn("No other member of node {} came back after the pause", nodeId);
      fence = null;
    }
  }

  private static Set<UUID> uuids(List<Member> members) {
    return members.stream().map(Member::getUuid).collect(Collectors.toSet());
  }

  /** Leadership withheld after a pause that began with these members of the node in the list. */
  private record Fence(long resumedAt, Set<UUID> before, boolean lost) {
    Fence(long resumedAt, Set<UUID> before) {
      this(resumedAt, before, false);
    }
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
