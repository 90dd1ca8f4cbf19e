package io.deltasync.apply;

import static io.deltasync.apply.ApplyFixture.batch;
import static io.deltasync.apply.ApplyFixture.count;
import static io.deltasync.apply.ApplyFixture.deadLetters;
import static io.deltasync.apply.ApplyFixture.delta;
import static io.deltasync.apply.ApplyFixture.storedIds;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.deltasync.apply.ApplyFixture.DeadLetter;
import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.Kind;
import io.deltasync.delta.NameFilter;
import io.deltasync.delta.Param;
import io.deltasync.delta.ParamType;
import io.deltasync.testing.Note;
import io.deltasync.testing.TestNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A batch mixing valid deltas with ones that must never run: the bad ones are quarantined with
 * their reason, the good ones applied, and the pointer passes the whole batch.
 */
class DeltaApplierQuarantineTest {

  private static final long UP_TO_SEQ = 12;

  @Test
  void quarantinesInvalidDeltasAndAppliesTheirValidNeighbours() {
    TestNode a = ApplyFixture.node("node-a");
    TestNode b = ApplyFixture.node("node-b");
    b.db().execute("INSERT INTO audit_log (id, message) VALUES (1, 'kept')");
    a.inTransaction(
        notes -> notes.insert(new Note(1, "first")) + notes.insert(new Note(2, "last")));
    List<Delta> valid = batch(a, "node-b", 0).deltas();
    Map<Delta, String> refused = new LinkedHashMap<>();
    refused.put(
        bad(2, Kind.DELETE, "DROP TABLE note"),
        "only INSERT, UPDATE and DELETE are applied, but its SQL is a Drop statement");
    refused.put(
        bad(3, Kind.DELETE, "DELETE FROM note WHERE id = ?; DROP TABLE note", id(1)),
        "expected exactly one statement, but its SQL holds 2");
    refused.put(
        bad(
            4,
            Kind.INSERT,
            "INSERT INTO audit_log (id, message) VALUES (?, ?)",
            id(7),
            new Param(ParamType.STRING, "not replicated here")),
        "table audit_log is not replicated by this node");
    refused.put(
        bad(5, Kind.DELETE, "DELETE FROM ds_node_pointer"),
        "table ds_node_pointer is not replicated by this node");
    refused.put(
        bad(6, Kind.DELETE, "DELETE FROM note WHERE id = ?", id(1), id(2)),
        "its SQL has 1 placeholders but the delta carries 2 parameters");
    refused.put(
        bad(7, Kind.UPDATE, "DELETE FROM note WHERE id = ?", id(1)),
        "it claims to be an UPDATE but its SQL is a DELETE");
    refused.put(
        bad(
            8,
            Kind.INSERT,
            "INSERT INTO note (id, title, done, amount) SELECT id + 10, message, FALSE, 0"
                + " FROM audit_log"),
        "table audit_log is not replicated by this node");
    List<Delta> deltas = new ArrayList<>();
    deltas.add(valid.get(0).withSeq(1));
    deltas.addAll(refused.keySet());
    deltas.add(valid.get(1).withSeq(9));
    DeltaApplier onlyNotes =
        new DeltaApplier(
            b.db().dataSource(), "node-b", new DeltaValidator(NameFilter.of("note", null)));

    ApplyResult result = onlyNotes.apply(new DeltaBatch("node-a", "mixed", UP_TO_SEQ, deltas));

    assertThat(result).isEqualTo(new ApplyResult("node-b", "node-a", "mixed", 2, 0, 7, UP_TO_SEQ));
    assertThat(b.notes()).hasSize(2).containsExactlyElementsOf(a.notes());
    assertThat(count(b, "SELECT COUNT(*) FROM audit_log")).isEqualTo(1);
    assertThat(count(b, "SELECT COUNT(*) FROM ds_node_pointer")).isEqualTo(1);
    assertThat(b.node().store().pointers("node-a").lastProcessed()).isEqualTo(UP_TO_SEQ);
    assertThat(storedIds(b)).containsExactly(valid.get(0).id(), valid.get(1).id());
    List<DeadLetter> expected = new ArrayList<>();
    refused.forEach(
        (delta, reason) ->
            expected.add(
                new DeadLetter(
                    delta.id(), "node-a", "node-a", delta.seq(), "QUARANTINED", reason, 1)));
    assertThat(deadLetters(b)).containsExactlyElementsOf(expected);
  }

  @Test
  void redeliveryDoesNotQuarantineTwice() {
    TestNode b = ApplyFixture.node("node-b");
    Delta drop = bad(1, Kind.DELETE, "DROP TABLE note");
    DeltaBatch batch = new DeltaBatch("node-a", "drop", List.of(drop));

    ApplyResult first = b.node().receive(batch);
    ApplyResult second = b.node().receive(batch);

    assertThat(first.quarantined()).isEqualTo(1);
    assertThat(second.quarantined()).isZero();
    assertThat(second.skipped()).isEqualTo(1);
    assertThat(deadLetters(b))
        .singleElement()
        .satisfies(
            letter -> {
              assertThat(letter.deltaId()).isEqualTo(drop.id());
              assertThat(letter.status()).isEqualTo("QUARANTINED");
              assertThat(letter.attempts()).isEqualTo(1);
            });
    assertThat(count(b, "SELECT COUNT(*) FROM note")).isZero();
  }

  @Test
  void aRefusedDeltaIsLoggedOnOneLineWhateverItsSenderDeclares() {
    TestNode b = ApplyFixture.node("node-b");
    Delta forged =
        bad(1, Kind.DELETE, "DELETE FROM note WHERE id = ?", id(1))
            .withTarget("x\n2026-12-05 22:00:00.000 INFO  DeltaApplier - Applied", null);
    Logger logger = (Logger) LoggerFactory.getLogger(DeltaApplier.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      assertThat(
              b.node().receive(new DeltaBatch("node-a", "forged", List.of(forged))).quarantined())
          .isOne();
    } finally {
      logger.detachAppender(lines);
    }

    assertThat(lines.list)
        .singleElement()
        .extracting(ILoggingEvent::getFormattedMessage)
        .asString()
        .startsWith("Refused delta " + forged.id() + " from node-a")
        .contains("x\\n2026-12-05 22:00:00.000 INFO  DeltaApplier - Applied")
        .doesNotContain("\n", "\r");
    assertThat(deadLetters(b))
        .singleElement()
        .extracting(DeadLetter::reason)
        .asString()
        .contains("\n2026-12-05"); // the dead letter keeps the reason as it was
  }

  private static Delta bad(long seq, Kind kind, String sql, Param... params) {
    return delta("node-a", seq, kind, sql, params);
  }

  private static Param id(long id) {
    return new Param(ParamType.LONG, id);
  }
}
