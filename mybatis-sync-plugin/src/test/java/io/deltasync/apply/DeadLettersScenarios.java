package io.deltasync.apply;

import static io.deltasync.apply.ApplyFixture.batch;
import static io.deltasync.apply.ApplyFixture.count;
import static io.deltasync.apply.ApplyFixture.storedIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.deltasync.conflict.ConflictPolicies;
import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.NameFilter;
import io.deltasync.schema.TestDatabase;
import io.deltasync.testing.Note;
import io.deltasync.testing.TestNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * An operator's retry and skip of dead letters on node-b's database, fed by node-a (H2): the same
 * scenarios on each database, by subclass.
 */
abstract class DeadLettersScenarios {

  /** A fresh database of the kind under test. */
  abstract TestDatabase database(String name);

  private TestNode a;
  private TestNode b;

  private void nodes() {
    a = ApplyFixture.node("node-a");
    b = TestNode.start("node-b", database("dead-letters-b"));
  }

  private DeltaApplier applier(NameFilter tables) {
    return new DeltaApplier(b.db().dataSource(), "node-b", new DeltaValidator(tables));
  }

  private DeadLetters deadLetters(NameFilter tables) {
    return new DeadLetters(b.db().dataSource(), applier(tables));
  }

  /** node-a writes notes 1 and 2 around an audit_log row, which node-b does not replicate yet. */
  private DeadLetter quarantineAuditRow() {
    a.inTransaction(notes -> notes.insert(new Note(1, "first")));
    a.inTransaction(notes -> notes.insertAudit(7, "audited"));
    a.inTransaction(notes -> notes.insert(new Note(2, "second")));
    applier(NameFilter.of("note", null)).apply(batch(a, "node-b", 0));
    return deadLetters(NameFilter.ALL).list(null, null, Long.MAX_VALUE, 10).get(0);
  }

  @Test
  void quarantinedDeltaRetriedAfterItsTableBecomesReplicatedAppliesOnce() {
    nodes();
    DeadLetter letter = quarantineAuditRow();
    long pointer = b.node().store().pointers("node-a").lastProcessed();
    DeadLetters operator = deadLetters(NameFilter.ALL);
    assertThat(letter.status()).isEqualTo("QUARANTINED");
    assertThat(letter.delta().table()).isEqualTo("audit_log");
    assertThat(operator.count()).isEqualTo(1);

    DeadLetterOutcome outcome = operator.retry(letter.id(), "alice");

    assertThat(outcome.done()).isTrue();
    assertThat(outcome.status()).isEqualTo("APPLIED");
    assertThat(count(b, "SELECT COUNT(*) FROM audit_log WHERE id = 7")).isEqualTo(1);
    assertThat(b.node().store().pointers("node-a").lastProcessed()).isEqualTo(pointer);
    assertThat(storedIds(b)).containsOnlyOnce(letter.deltaId()).hasSize(3);
    assertThat(operator.find(letter.id()).orElseThrow().status()).isEqualTo("APPLIED");
    assertThat(operator.count()).isZero();
    assertThatThrownBy(() -> operator.retry(letter.id(), "alice"))
        .isInstanceOf(DeadLetterException.class)
        .hasMessageContaining("dead letter " + letter.id())
        .hasMessageContaining("APPLIED by alice");

    ApplyResult again =
        b.node().receive(new DeltaBatch("node-h", "again", List.of(letter.delta().withSeq(1))));

    assertThat(again.applied()).isZero();
    assertThat(count(b, "SELECT COUNT(*) FROM audit_log")).isEqualTo(1);
  }

  @Test
  void quarantinedDeltaRetriedAtAHubGoesThroughItsConflictCheckAndIsPassedOn() {
    nodes();
    ConflictPolicies policies = ConflictPolicies.serverWins();
    a.inTransaction(notes -> notes.insertAudit(7, "audited"));
    new DeltaApplier(
            b.db().dataSource(),
            "node-b",
            new DeltaValidator(NameFilter.of("note", null)),
            policies,
            null)
        .apply(batch(a, "node-b", 0));
    DeadLetter letter = deadLetters(NameFilter.ALL).list(null, null, Long.MAX_VALUE, 1).get(0);
    DeltaApplier hub =
        new DeltaApplier(
            b.db().dataSource(), "node-b", new DeltaValidator(NameFilter.ALL), policies, null);

    DeadLetterOutcome outcome = new DeadLetters(b.db().dataSource(), hub).retry(letter.id(), "al");
    TestNode c = ApplyFixture.node("node-c");
    c.node().pull(b.node());

    assertThat(outcome.done()).isTrue();
    assertThat(count(b, "SELECT COUNT(*) FROM audit_log WHERE id = 7")).isEqualTo(1);
    assertThat(count(c, "SELECT COUNT(*) FROM audit_log WHERE id = 7")).isEqualTo(1);
    assertThat(storedIds(c)).containsExactly(letter.deltaId());
  }

  @Test
  void retryOfADeltaStillInvalidKeepsItQuarantinedWithTheNewReason() {
    nodes();
    DeadLetter letter = quarantineAuditRow();

    DeadLetterOutcome outcome =
        deadLetters(NameFilter.of("note, ticket", null)).retry(letter.id(), "alice");

    assertThat(outcome.done()).isFalse();
    assertThat(outcome.status()).isEqualTo("QUARANTINED");
    assertThat(outcome.message()).contains("table audit_log is not replicated by this node");
    DeadLetter after = deadLetters(NameFilter.ALL).find(letter.id()).orElseThrow();
    assertThat(after.status()).isEqualTo("QUARANTINED");
    assertThat(after.attempts()).isEqualTo(2);
    assertThat(after.reason()).isEqualTo("table audit_log is not replicated by this node");
    assertThat(count(b, "SELECT COUNT(*) FROM audit_log")).isZero();
  }

  /** node-b holds its own note 1, so node-a's insert of note 1 fails and blocks the stream. */
  private DeadLetter failNoteOne() {
    b.db().execute("INSERT INTO note (id, title, done, amount) VALUES (1, 'b own', FALSE, 0)");
    a.inTransaction(notes -> notes.insert(new Note(1, "first")));
    a.inTransaction(notes -> notes.insert(new Note(2, "second")));
    assertThatThrownBy(() -> a.node().push(b.node())).isInstanceOf(DeltaApplyException.class);
    DeadLetter letter =
        deadLetters(NameFilter.ALL).list("FAILED", "node-a", Long.MAX_VALUE, 10).get(0);
    assertThat(b.node().store().pointers("node-a").lastProcessed()).isZero();
    return letter;
  }

  private List<String> titles() {
    return b.notes().stream().map(row -> row.split("\\|")[0] + "|" + row.split("\\|")[1]).toList();
  }

  @Test
  void aDeltaThatFailsAtEveryAttemptIsLoggedOnceThenAtTheTenthAttemptUnderOneReference() {
    Logger logger = (Logger) LoggerFactory.getLogger(DeltaApplier.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    Level level = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    List<String> told = new ArrayList<>();
    DeadLetter letter;
    try {
      nodes();
      letter = failNoteOne();
      for (int attempt = 2; attempt <= 11; attempt++) {
        assertThatThrownBy(() -> a.node().push(b.node()))
            .isInstanceOfSatisfying(
                DeltaApplyException.class, e -> told.add(errorRef(e.getMessage())));
      }
    } finally {
      logger.detachAppender(lines);
      logger.setLevel(level);
    }

    List<ILoggingEvent> warnings =
        lines.list.stream().filter(line -> line.getLevel() == Level.WARN).toList();
    assertThat(warnings).hasSize(2);
    String ref = told.get(0);
    assertThat(told).hasSize(10).containsOnly(ref);
    assertThat(warnings.get(0).getFormattedMessage())
        .startsWith("Delta " + letter.deltaId() + " (seq 1 from node-a, ")
        .contains(" failed (error " + ref + "): ")
        .doesNotContain("\n");
    assertThat(warnings.get(1).getFormattedMessage())
        .startsWith("Delta " + letter.deltaId() + " (seq 1 from node-a, ")
        .endsWith(
            " failed (error "
                + ref
                + ") again, 10 attempts so far; deltas from node-a wait until it is retried or"
                + " skipped (attempts in between at DEBUG)");
    assertThat(lines.list.stream().filter(line -> line.getLevel() == Level.DEBUG))
        .filteredOn(line -> line.getFormattedMessage().contains(" again, attempt "))
        .hasSize(9); // attempts 2 to 9 and 11
    assertThat(deadLetters(NameFilter.ALL).find(letter.id()).orElseThrow().attempts())
        .isEqualTo(11);

    // after a restart (a new applier), the first failure is logged at WARN again
    lines.list.clear();
    logger.addAppender(lines);
    try {
      assertThatThrownBy(() -> applier(NameFilter.ALL).apply(batch(a, "node-b", 0)))
          .isInstanceOf(DeltaApplyException.class);
    } finally {
      logger.detachAppender(lines);
    }
    assertThat(lines.list)
        .filteredOn(line -> line.getLevel() == Level.WARN)
        .singleElement()
        .extracting(ILoggingEvent::getFormattedMessage)
        .asString()
        .contains(letter.deltaId() + " (seq 1 from node-a, ")
        .contains(" failed (error ");
  }

  private static String errorRef(String message) {
    int at = message.indexOf("(error ") + "(error ".length();
    return message.substring(at, at + 8);
  }

  @Test
  void skipOfAFailedDeltaMovesTheStreamOnAndNeverRunsIt() {
    nodes();
    DeadLetter letter = failNoteOne();
    DeadLetters operator = deadLetters(NameFilter.ALL);

    DeadLetterOutcome outcome = operator.skip(letter.id(), "bob");
    int sent = a.node().push(b.node());

    assertThat(outcome.done()).isTrue();
    assertThat(outcome.status()).isEqualTo("SKIPPED");
    assertThat(sent).isEqualTo(2);
    assertThat(titles()).containsExactly("1|b own", "2|second");
    assertThat(b.node().store().pointers("node-a").lastProcessed())
        .isEqualTo(a.node().store().lastSeq());
    assertThat(storedIds(b)).doesNotContain(letter.deltaId()).hasSize(1);
    DeadLetter kept = operator.find(letter.id()).orElseThrow();
    assertThat(kept.status()).isEqualTo("SKIPPED");
    assertThat(kept.updatedAt()).isAfterOrEqualTo(letter.updatedAt());
    assertThat(operator.count()).isZero();

    Delta copy = letter.delta().withSeq(1);
    ApplyResult redelivered = b.node().receive(new DeltaBatch("node-h", "copy", List.of(copy)));

    assertThat(redelivered.applied()).isZero();
    assertThat(redelivered.skipped()).isEqualTo(1);
    assertThat(titles()).containsExactly("1|b own", "2|second");
    assertThat(operator.find(letter.id()).orElseThrow().status()).isEqualTo("SKIPPED");
  }

  @Test
  void retryOfAFailedDeltaTriesItAloneAndLeavesApplyingItToItsStream() {
    nodes();
    DeadLetter letter = failNoteOne();
    DeadLetters operator = deadLetters(NameFilter.ALL);

    DeadLetterOutcome stillFails = operator.retry(letter.id(), "carol");

    assertThat(stillFails.done()).isFalse();
    assertThat(stillFails.status()).isEqualTo("FAILED");
    assertThat(stillFails.message()).contains("still fails when tried alone");
    assertThat(operator.find(letter.id()).orElseThrow().attempts())
        .isEqualTo(letter.attempts() + 1);
    assertThat(titles()).containsExactly("1|b own");

    b.db().execute("DELETE FROM note WHERE id = 1");
    DeadLetterOutcome runsNow = operator.retry(letter.id(), "carol");

    assertThat(runsNow.done()).isFalse();
    assertThat(runsNow.message()).contains("runs now when tried alone");
    assertThat(titles()).isEmpty();
    assertThat(b.node().store().pointers("node-a").lastProcessed()).isZero();

    a.node().push(b.node());

    assertThat(titles()).containsExactly("1|first", "2|second");
    assertThat(storedIds(b)).containsOnlyOnce(letter.deltaId()).hasSize(2);
    assertThat(operator.find(letter.id())).isEmpty();
    assertThat(operator.count()).isZero();
  }

  @Test
  void refusesUnknownIdsSkippingTwiceAndRetryingASkippedOneChangingNothing() {
    nodes();
    DeadLetter letter = quarantineAuditRow();
    DeadLetters operator = deadLetters(NameFilter.ALL);
    operator.skip(letter.id(), "bob");
    DeadLetter skipped = operator.find(letter.id()).orElseThrow();

    assertThatThrownBy(() -> operator.retry(999_999, "bob"))
        .isInstanceOf(DeadLetterException.class)
        .hasMessage("there is no dead letter 999999");
    assertThatThrownBy(() -> operator.skip(letter.id(), "eve"))
        .isInstanceOf(DeadLetterException.class)
        .hasMessageContaining("cannot skip dead letter " + letter.id())
        .hasMessageContaining("it is SKIPPED by bob");
    assertThatThrownBy(() -> operator.retry(letter.id(), "eve"))
        .isInstanceOf(DeadLetterException.class)
        .hasMessageContaining("cannot retry dead letter " + letter.id())
        .hasMessageContaining("SKIPPED");
    assertThatThrownBy(() -> operator.skip(letter.id(), " "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(operator.find(letter.id())).contains(skipped);
    assertThat(count(b, "SELECT COUNT(*) FROM audit_log")).isZero();

    List<DeadLetterOutcome> many = operator.retry(List.of(letter.id(), 999_999L), "eve");

    assertThat(many)
        .extracting(DeadLetterOutcome::done, DeadLetterOutcome::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(false, "SKIPPED"),
            org.assertj.core.groups.Tuple.tuple(false, "UNKNOWN"));
    assertThat(operator.find(letter.id())).contains(skipped);
  }

  @Test
  void listsNewestFirstAPageAtATimeAndSkipsManyAtOnce() {
    nodes();
    a.inTransaction(notes -> notes.insertAudit(1, "one"));
    a.inTransaction(notes -> notes.insertAudit(2, "two"));
    a.inTransaction(notes -> notes.insertAudit(3, "three"));
    applier(NameFilter.of("note", null)).apply(batch(a, "node-b", 0));
    DeadLetters operator = deadLetters(NameFilter.ALL);

    List<DeadLetter> first = operator.list(null, null, Long.MAX_VALUE, 2);
    List<DeadLetter> second = operator.list(null, "node-a", first.get(1).id(), 2);

    assertThat(first).extracting(l -> l.delta().params().get(0).value()).containsExactly(3L, 2L);
    assertThat(second).extracting(l -> l.delta().params().get(0).value()).containsExactly(1L);
    assertThat(operator.list(null, "node-x", Long.MAX_VALUE, 10)).isEmpty();

    List<DeadLetterOutcome> skipped =
        operator.skip(List.of(first.get(0).id(), second.get(0).id()), "bob");

    assertThat(skipped).allSatisfy(o -> assertThat(o.done()).isTrue());
    assertThat(operator.list("SKIPPED", null, Long.MAX_VALUE, 10)).hasSize(2);
    assertThat(operator.list("QUARANTINED", null, Long.MAX_VALUE, 10))
        .extracting(DeadLetter::id)
        .containsExactly(first.get(1).id());
    assertThat(operator.count()).isEqualTo(1);
  }
}
