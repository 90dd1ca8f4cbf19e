package io.deltasync.conflict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.node.SyncNode;
import io.deltasync.schema.TestDatabases;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each policy's outcome on hand-built conflicts: node-b changes a row and pushes first, then
 * node-a, which had not seen that change, pushes its own change of the same row. Afterwards the hub
 * and both clients hold the same row.
 */
class ConflictPoliciesTest {

  private static ConflictFixture fx;

  @BeforeAll
  static void databases() {
    fx =
        new ConflictFixture(
            TestDatabases.h2("policies-hub"),
            TestDatabases.h2("policies-a"),
            TestDatabases.h2("policies-b"));
  }

  enum Case {
    UPDATE_UPDATE,
    UPDATE_DELETE,
    DELETE_UPDATE,
    INSERT_INSERT
  }

  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource({
    "server-wins, UPDATE_UPDATE, KEPT_HUB, from-b|body-b",
    "server-wins, UPDATE_DELETE, KEPT_HUB, from-b|body-b",
    "server-wins, DELETE_UPDATE, KEPT_HUB, absent",
    "server-wins, INSERT_INSERT, KEPT_HUB, from-b|body-b",
    "client-wins, UPDATE_UPDATE, TOOK_INCOMING, from-a|body-a",
    "client-wins, UPDATE_DELETE, TOOK_INCOMING, absent",
    "client-wins, DELETE_UPDATE, TOOK_INCOMING, absent",
    "client-wins, INSERT_INSERT, TOOK_INCOMING, from-a|body-a",
    "last-writer-wins, UPDATE_UPDATE, TOOK_INCOMING, from-a|body-a",
    "last-writer-wins, UPDATE_DELETE, TOOK_INCOMING, absent",
    "last-writer-wins, DELETE_UPDATE, TOOK_INCOMING, absent",
    "last-writer-wins, INSERT_INSERT, TOOK_INCOMING, from-a|body-a",
    "io.deltasync.example.MergeFields, UPDATE_UPDATE, CUSTOM_ROW, from-a|body-b",
    "io.deltasync.example.MergeFields, UPDATE_DELETE, KEPT_HUB, from-b|body-b",
    "io.deltasync.example.MergeFields, DELETE_UPDATE, KEPT_HUB, absent",
    "io.deltasync.example.MergeFields, INSERT_INSERT, CUSTOM_ROW, from-a|body-b",
  })
  void eachPolicyResolvesEachKindOfConflictAndEveryNodeEndsEqual(
      String policy, Case kind, ConflictOutcome outcome, String row) {
    SyncNode hub = fx.hub(policy);
    long id = fx.freshKey();

    conflict(hub, kind, id, false);
    fx.settle(hub);

    assertThat(fx.everywhere(id)).containsExactly(row, row, row);
    ConflictRecord conflict = fx.only(id).orElseThrow();
    assertThat(conflict.status()).isEqualTo(ConflictStatus.RESOLVED);
    assertThat(conflict.outcome()).isEqualTo(outcome);
    assertThat(conflict.policy()).isEqualTo(policy);
    assertThat(conflict.incoming().origin()).isEqualTo("node-a");
    assertThat(conflict.hubDeltas()).extracting(d -> d.origin()).containsOnly("node-b");
    assertThat(conflict.imageDeltaIds()).hasSize(1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "UPDATE_UPDATE, from-b|body-b",
    "UPDATE_DELETE, from-b|body-b",
    "DELETE_UPDATE, absent",
    "INSERT_INSERT, from-b|body-b",
  })
  void lastWriterWinsKeepsTheHubsRowWhenItWasWrittenLater(Case kind, String row) {
    SyncNode hub = fx.hub("last-writer-wins");
    long id = fx.freshKey();

    conflict(hub, kind, id, true);
    fx.settle(hub);

    assertThat(fx.everywhere(id)).containsExactly(row, row, row);
    assertThat(fx.only(id).orElseThrow().outcome()).isEqualTo(ConflictOutcome.KEPT_HUB);
  }

  @ParameterizedTest(name = "resolved as {0}")
  @CsvSource({"keep-hub, from-b|body-b", "take-incoming, from-a|body-a", "custom, mine|body-b"})
  void manualParksTheConflictUntilAnAdminResolvesIt(String decision, String row) {
    SyncNode hub = fx.hub("manual");
    long id = fx.freshKey();

    conflict(hub, Case.UPDATE_UPDATE, id, false);
    fx.settle(hub);

    // nothing of node-a's change reached the hub; node-a took node-b's change when it pulled
    assertThat(fx.everywhere(id)).containsOnly("from-b|body-b");
    ConflictRecord parked = fx.only(id).orElseThrow();
    assertThat(parked.status()).isEqualTo(ConflictStatus.OPEN);
    assertThat(parked.outcome()).isNull();
    assertThat(parked.hubRow().get("title")).isEqualTo("from-b");
    assertThat(parked.incomingRow().get("title")).isEqualTo("from-a");

    Resolution resolution =
        switch (decision) {
          case "keep-hub" -> Resolution.keepHub();
          case "take-incoming" -> Resolution.takeIncoming();
          default -> Resolution.row(parked.hubRow().with("title", "mine"));
        };
    ConflictRecord resolved = fx.conflicts.resolve(parked.id(), resolution, "alice");
    fx.settle(hub);

    assertThat(fx.everywhere(id)).containsExactly(row, row, row);
    assertThat(resolved.status()).isEqualTo(ConflictStatus.RESOLVED);
    assertThat(resolved.resolvedBy()).isEqualTo("alice");
    assertThat(resolved.resultRow().get("title")).isEqualTo(row.substring(0, row.indexOf('|')));
    assertThat(resolved.imageDeltaIds()).hasSize(1);
  }

  @Test
  void aParkedRowHoldsLaterChangesToItUntilResolved() {
    SyncNode hub = fx.hub("manual");
    long id = fx.freshKey();
    conflict(hub, Case.UPDATE_UPDATE, id, false);
    fx.settle(hub);

    fx.update(fx.a, id, "again-a", "body-a2");
    fx.settle(hub);

    List<ConflictRecord> open = fx.on(id);
    assertThat(open).hasSize(2).allMatch(ConflictRecord::open);
    assertThat(open.get(1).hubDeltas()).isEmpty();
    assertThat(open.get(1).detail()).contains("earlier conflict on the row is still open");
    assertThat(ConflictFixture.row(fx.hubDb, id)).isEqualTo("from-b|body-b");

    fx.conflicts.resolve(open.get(0).id(), Resolution.keepHub(), "alice");
    fx.conflicts.resolve(open.get(1).id(), Resolution.takeIncoming(), "alice");
    fx.settle(hub);

    assertThat(fx.everywhere(id))
        .containsExactly("again-a|body-a2", "again-a|body-a2", "again-a|body-a2");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"server-wins, from-b|body-b", "client-wins, again-a|body-a2"})
  void aRowDeletedInAConflictAndInsertedAgainInOnePushEndsEqual(String policy, String row) {
    SyncNode hub = fx.hub(policy);
    long id = fx.freshKey();
    fx.shared(hub, id);

    fx.delete(fx.a, id);
    fx.update(fx.b, id, "from-b", "body-b");
    fx.b.node().push(hub);
    fx.a.node().pull(hub); // node-a now has seen node-b's update (of a row it deleted)
    fx.insert(fx.a, id, "again-a", "body-a2");
    fx.a.node().push(hub); // the delete conflicts; the insert was written on node-a's view of it
    fx.settle(hub);

    assertThat(fx.everywhere(id)).containsExactly(row, row, row);
    assertThat(fx.on(id)).hasSize(2).allMatch(c -> c.status() == ConflictStatus.RESOLVED);
  }

  @Test
  void changesToDifferentRowsNeverConflict() {
    SyncNode hub = fx.hub("manual");
    long first = fx.freshKey();
    long second = fx.freshKey();
    fx.shared(hub, first);
    fx.shared(hub, second);
    long before = fx.conflicts.count(null);

    for (int round = 0; round < 5; round++) {
      fx.update(fx.b, first, "b" + round, "x");
      fx.update(fx.a, second, "a" + round, "y");
      fx.b.node().push(hub);
      fx.a.node().push(hub);
    }
    fx.settle(hub);

    assertThat(fx.conflicts.count(null)).isEqualTo(before);
    assertThat(fx.everywhere(first)).containsOnly("b4|x");
    assertThat(fx.everywhere(second)).containsOnly("a4|y");
  }

  @Test
  void aChangeTheOriginHadSeenIsNoConflict() {
    SyncNode hub = fx.hub("manual");
    long id = fx.freshKey();
    fx.shared(hub, id);
    long before = fx.conflicts.count(null);

    fx.update(fx.b, id, "from-b", "body-b");
    fx.b.node().push(hub);
    fx.a.node().pull(hub);
    fx.update(fx.a, id, "from-a", "body-a");
    fx.settle(hub);

    assertThat(fx.conflicts.count(null)).isEqualTo(before);
    assertThat(fx.everywhere(id)).containsOnly("from-a|body-a");
  }

  @Test
  void aConflictingBatchDeliveredTwiceIsResolvedOnce() {
    SyncNode hub = fx.hub("client-wins");
    long id = fx.freshKey();
    fx.shared(hub, id);
    fx.update(fx.b, id, "from-b", "body-b");
    fx.b.node().push(hub);
    fx.update(fx.a, id, "from-a", "body-a");
    var batch = fx.a.node().nextBatchFor("hub").orElseThrow();

    var first = hub.receive(batch);
    var again = hub.applier().apply(batch);

    assertThat(first.conflicts()).isEqualTo(1);
    assertThat(again.conflicts()).isZero();
    assertThat(again.skipped()).isEqualTo(batch.deltas().size());
    assertThat(fx.on(id)).hasSize(1);
  }

  @Test
  void resolvingTwiceOrAnUnknownConflictIsRefused() {
    SyncNode hub = fx.hub("manual");
    long id = fx.freshKey();
    conflict(hub, Case.UPDATE_UPDATE, id, false);
    fx.settle(hub);
    ConflictRecord parked = fx.only(id).orElseThrow();
    fx.conflicts.resolve(parked.id(), Resolution.keepHub(), "alice");

    assertThatThrownBy(() -> fx.conflicts.resolve(parked.id(), Resolution.takeIncoming(), "bob"))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("conflict " + parked.id() + " was resolved already by alice");
    assertThatThrownBy(() -> fx.conflicts.resolve(999_999, Resolution.keepHub(), "bob"))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("there is no conflict 999999");
    assertThatThrownBy(() -> fx.conflicts.resolve(parked.id(), Resolution.park(), "bob"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void customValuesMustKeepTheRowsKeyAndNothingChangesOtherwise() {
    SyncNode hub = fx.hub("manual");
    long id = fx.freshKey();
    conflict(hub, Case.UPDATE_UPDATE, id, false);
    fx.settle(hub);
    ConflictRecord parked = fx.only(id).orElseThrow();

    assertThatThrownBy(
            () ->
                fx.conflicts.resolve(
                    parked.id(), Resolution.row(parked.hubRow().with("id", 5L)), "alice"))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("must keep the row's key");
    assertThat(fx.conflicts.find(parked.id()).orElseThrow().open()).isTrue();
    assertThat(ConflictFixture.row(fx.hubDb, id)).isEqualTo("from-b|body-b");
  }

  private static void laterMillisecond() {
    long now = System.currentTimeMillis();
    while (System.currentTimeMillis() <= now + 1) {
      Thread.onSpinWait();
    }
  }

  /**
   * node-b's change reaches the hub first; node-a's change of the same row, made without seeing it,
   * arrives second. With {@code hubLater}, node-a writes first and node-b later.
   */
  private static void conflict(SyncNode hub, Case kind, long id, boolean hubLater) {
    if (kind != Case.INSERT_INSERT) {
      fx.shared(hub, id);
    }
    Runnable onB =
        () -> {
          switch (kind) {
            case UPDATE_UPDATE, UPDATE_DELETE -> fx.update(fx.b, id, "from-b", "body-b");
            case DELETE_UPDATE -> fx.delete(fx.b, id);
            case INSERT_INSERT -> fx.insert(fx.b, id, "from-b", "body-b");
          }
        };
    Runnable onA =
        () -> {
          switch (kind) {
            case UPDATE_UPDATE, DELETE_UPDATE -> fx.update(fx.a, id, "from-a", "body-a");
            case UPDATE_DELETE -> fx.delete(fx.a, id);
            case INSERT_INSERT -> fx.insert(fx.a, id, "from-a", "body-a");
          }
        };
    List<Runnable> order = hubLater ? List.of(onA, onB) : List.of(onB, onA);
    order.get(0).run();
    laterMillisecond(); // each client has its own clock: only the wall-clock part orders them
    order.get(1).run();
    fx.b.node().push(hub);
    fx.a.node().push(hub);
  }
}
