package io.deltasync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.spi.properties.ClusterProperty;
import com.hazelcast.spi.properties.HazelcastProperties;
import io.deltasync.schema.TestDatabase;
import io.deltasync.schema.TestDatabases;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rule a hub member follows after a pause of its process (see {@link HazelcastLeadership}),
 * with real members and the paused one's clock moved on by the test: {@code HangingLeaderIT}
 * freezes a real process, but only for the case where the others remove it and it steps down; here
 * are the other branches. With DeltaSync's default failover timeout (5 s, heartbeats every second)
 * and Hazelcast's merge delay (120 s), the pause limit is 4 s, the settling time 5 s and the wait
 * for a lost half 130 s, all on the test's clock.
 */
class LeadershipPauseIT {

  private static final Duration PAUSE = Duration.ofSeconds(5);
  private static final Duration SETTLE = Duration.ofSeconds(6);

  private final AtomicLong clock = new AtomicLong(System.nanoTime());
  private TestCluster cluster;
  private TestDatabase hubDb;
  private HazelcastInstance first;
  private HazelcastInstance second;
  private HazelcastLeadership paused;

  @BeforeEach
  void twoMembersOfTheHub() {
    cluster = new TestCluster("leadership-pause", 5800, 3);
    hubDb = TestDatabases.h2("leadership-pause-" + System.nanoTime()).migrate();
    first = start();
    second = start();
    paused = new HazelcastLeadership(first, "hub", clock::get, false);
    assertThat(paused.isLeader()).as("the oldest member, before the pause").isTrue();
  }

  @AfterEach
  void stop() {
    paused.close();
    cluster.close();
  }

  @Test
  void aPauseTheOthersDidNotActOnEndsInLeadingAgainOnceTheListHasSettled() {
    pause();
    assertThat(paused.isLeader()).as("at once, before the watch notices").isFalse();
    paused.tick();
    assertThat(paused.isLeader()).as("while the list may still change").isFalse();

    advance(Duration.ofSeconds(3));
    assertThat(paused.isLeader()).isFalse();
    advance(Duration.ofSeconds(3));

    assertThat(paused.isLeader()).as("both members still in its list").isTrue();
  }

  @Test
  void aMemberWhoseOtherHalfWasSplitOffLeadsAgainWhenAMemberOfItsNodeIsBack() {
    pause();
    paused.tick();
    second.getLifecycleService().terminate(); // as the other half, removed from this member's list
    await().atMost(Duration.ofSeconds(30)).until(() -> first.getCluster().getMembers().size() == 1);
    advance(SETTLE);
    assertThat(paused.isLeader()).as("the others were removed: a split").isFalse();
    advance(Duration.ofSeconds(60));
    assertThat(paused.isLeader()).isFalse();

    start(); // the halves merged: a member of the node is in its list again

    await().atMost(Duration.ofSeconds(30)).until(paused::isLeader);
  }

  @Test
  void aMemberWhoseOtherHalfNeverComesBackLeadsAgainAfterTheMergeWait() {
    pause();
    paused.tick();
    second.getLifecycleService().terminate();
    await().atMost(Duration.ofSeconds(30)).until(() -> first.getCluster().getMembers().size() == 1);
    advance(SETTLE);
    assertThat(paused.isLeader()).isFalse();

    advance(Duration.ofSeconds(120)); // 126 s after it resumed
    assertThat(paused.isLeader()).isFalse();
    advance(Duration.ofSeconds(5)); // 131 s: the merge delay plus twice the failover timeout

    assertThat(paused.isLeader()).as("the others are taken for gone").isTrue();
  }

  private HazelcastInstance start() {
    ClusterSettings settings = ClusterSettings.defaults("hub", NodeRole.HUB);
    DeltaSyncCluster member = cluster.start(settings, hubDb.dataSource());
    HazelcastProperties properties = new HazelcastProperties(member.hazelcast().getConfig());
    assertThat(properties.getSeconds(ClusterProperty.MAX_NO_HEARTBEAT_SECONDS)).isEqualTo(5);
    assertThat(properties.getSeconds(ClusterProperty.HEARTBEAT_INTERVAL_SECONDS)).isEqualTo(1);
    assertThat(properties.getSeconds(ClusterProperty.MERGE_NEXT_RUN_DELAY_SECONDS)).isEqualTo(120);
    return member.hazelcast();
  }

  /** The member is not scheduled for longer than the pause limit. */
  private void pause() {
    clock.addAndGet(PAUSE.toNanos());
  }

  /** Time passes with the member running: its watch looks every 100 ms, here every second. */
  private void advance(Duration duration) {
    for (long s = 0; s < duration.toSeconds(); s++) {
      clock.addAndGet(Duration.ofSeconds(1).toNanos());
      paused.tick();
    }
  }
}
