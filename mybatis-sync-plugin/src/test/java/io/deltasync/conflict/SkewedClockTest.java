package io.deltasync.conflict;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.capture.CaptureSettings;
import io.deltasync.delta.HybridClock;
import io.deltasync.node.SyncNode;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Node-b's wall clock is five minutes behind node-a's. Applying a delta moves a node's clock past
 * the delta's {@code capturedAt}, so under {@code last-writer-wins} a write node-b makes after
 * applying node-a's still wins, and every node ends on it; a sender's timestamp far in the future
 * moves the clock no further than its maximum drift.
 */
class SkewedClockTest {

  private static final Duration BEHIND = Duration.ofMinutes(5);

  private static ConflictFixture fx;

  @BeforeAll
  static void databases() {
    HybridClock skewed = new HybridClock(Clock.offset(Clock.systemUTC(), BEHIND.negated()));
    fx =
        new ConflictFixture(
            TestDatabases.h2("skew-hub"),
            TestDatabases.h2("skew-a"),
            TestDatabases.h2("skew-b"),
            skewed);
  }

  @Test
  void aWriteMadeAfterApplyingAnotherNodesWriteWinsThoughItsWallClockIsBehind() {
    SyncNode hub = fx.hub("last-writer-wins");
    long id = fx.freshKey();
    fx.shared(hub, id);
    fx.update(fx.a, id, "from-a", "body-a");
    fx.a.node().push(hub);
    // node-b hears of node-a's change from node-a itself: at the hub, its own change conflicts
    fx.b.node().pull(fx.a.node());
    assertThat(ConflictFixture.row(fx.b.db(), id)).isEqualTo("from-a|body-a");
    fx.update(fx.b, id, "from-b", "body-b");

    fx.settle(hub);

    assertThat(fx.everywhere(id))
        .containsExactly("from-b|body-b", "from-b|body-b", "from-b|body-b");
    ConflictRecord conflict = fx.only(id).orElseThrow();
    assertThat(conflict.outcome()).isEqualTo(ConflictOutcome.TOOK_INCOMING);
    assertThat(conflict.incoming().origin()).isEqualTo("node-b");
    assertThat(conflict.hubDeltas()).extracting(d -> d.origin()).containsOnly("node-a");
    long fromA = conflict.hubDeltas().get(0).capturedAt();
    long fromB = conflict.incoming().capturedAt();
    assertThat(fromB).isGreaterThan(fromA);
    // node-b's wall clock alone would have stamped its change before node-a's
    assertThat(HybridClock.instantOf(fromA)).isAfter(Instant.now().minus(BEHIND));
  }

  @Test
  void aTimestampFarInTheFutureMovesTheClockOnlyByTheMaximumDrift() {
    HybridClock future =
        new HybridClock(Clock.offset(Clock.systemUTC(), Duration.ofDays(80 * 365)));
    TestNode c =
        TestNode.start(TestDatabases.h2("skew-c"), CaptureSettings.recordAll("node-c"), future);
    long id = fx.freshKey();
    c.inTransaction(mapper -> mapper.insert(ConflictFixture.note(id, "from-c", "body-c")));

    fx.b.node().pull(c.node());
    fx.update(fx.b, id, "from-b", "body-b");
    Instant after = Instant.now();

    long fromC = lastCapturedAt(c, "node-c");
    long fromB = lastCapturedAt(fx.b, "node-b");
    assertThat(HybridClock.instantOf(fromC)).isAfter(Instant.parse("2100-01-01T00:00:00Z"));
    // node-b's wall clock is BEHIND; its clock may run at most the maximum drift ahead of that
    assertThat(HybridClock.instantOf(fromB))
        .isAfter(after.minus(BEHIND))
        .isBeforeOrEqualTo(after.minus(BEHIND).plus(HybridClock.DEFAULT_MAX_DRIFT));
    assertThat(fromB).isLessThan(fromC);
  }

  private static long lastCapturedAt(TestNode node, String origin) {
    return NotesSchema.count(
        node.db().dataSource(),
        "SELECT captured_at FROM ds_delta WHERE origin = '"
            + origin
            + "' ORDER BY seq DESC LIMIT 1");
  }
}
