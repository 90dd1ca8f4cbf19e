package io.deltasync.apply;

import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.DeltaIds;
import io.deltasync.delta.Kind;
import io.deltasync.delta.Param;
import io.deltasync.schema.TestDatabases;
import io.deltasync.testing.NotesSchema;
import io.deltasync.testing.TestNode;
import java.util.ArrayList;
import java.util.List;

/** Nodes, batches and reads of the ds_ tables for the applier's tests. */
final class ApplyFixture {

  /** One row of {@code ds_dead_letter}. */
  record DeadLetter(
      String deltaId,
      String origin,
      String receivedFrom,
      long sourceSeq,
      String status,
      String reason,
      int attempts) {}

  private ApplyFixture() {}

  /** A node on a fresh H2 database, with MyBatis capturing every mutation. */
  static TestNode node(String nodeId) {
    return TestNode.start(nodeId, TestDatabases.h2("apply-" + nodeId));
  }

  /** Everything the sender holds for the receiver after {@code afterSeq}, as one batch. */
  static DeltaBatch batch(TestNode sender, String receiver, long afterSeq) {
    List<Delta> deltas = sender.node().store().pendingFor(receiver, afterSeq, 1000).deltas();
    return new DeltaBatch(sender.node().nodeId(), DeltaIds.next(), deltas);
  }

  /** A hand-built delta, as a sender might (wrongly) send it. */
  static Delta delta(String origin, long seq, Kind kind, String sql, Param... params) {
    return new Delta(
        DeltaIds.next(),
        origin,
        seq,
        DeltaIds.next(),
        1L << 16,
        0,
        "test.HandBuilt." + kind.name().toLowerCase(java.util.Locale.ROOT),
        kind,
        null,
        null,
        sql,
        List.of(params));
  }

  /** The delta ids a node stores, in its seq order. */
  static List<String> storedIds(TestNode node) {
    List<String> ids = new ArrayList<>();
    NotesSchema.query(
        node.db().dataSource(),
        "SELECT delta_id FROM ds_delta ORDER BY seq",
        row -> ids.add(row.getString(1)));
    return ids;
  }

  /** The node's dead letters, oldest first. */
  static List<DeadLetter> deadLetters(TestNode node) {
    List<DeadLetter> letters = new ArrayList<>();
    NotesSchema.query(
        node.db().dataSource(),
        "SELECT delta_id, origin, received_from, source_seq, status, reason, attempts"
            + " FROM ds_dead_letter ORDER BY id",
        row ->
            letters.add(
                new DeadLetter(
                    row.getString(1),
                    row.getString(2),
                    row.getString(3),
                    row.getLong(4),
                    row.getString(5),
                    row.getString(6),
                    row.getInt(7))));
    return letters;
  }

  /** A single number from a query on the node's database. */
  static long count(TestNode node, String sql) {
    return NotesSchema.count(node.db().dataSource(), sql);
  }
}
