package io.deltasync.verify;

import io.deltasync.conflict.Row;
import io.deltasync.testing.Note;
import io.deltasync.testing.TestNode;

/**
 * A hub that, when asked, writes one of a range's rows through MyBatis right after reading the
 * range's rows, and lets the node pull it at once: the answer is then older than what the node has
 * applied, as when a write lands between the hub's snapshot and the node's repair and the node's
 * pull route brings it over meanwhile.
 */
final class WritingAfterSnapshot extends ForwardingVerifyHub {

  private final TestNode hubNode;
  private final long spared;
  private final Runnable nodePulls;
  private int toWrite;
  private int written;

  WritingAfterSnapshot(VerifyHub hub, TestNode hubNode, long spared, Runnable nodePulls) {
    super(hub);
    this.hubNode = hubNode;
    this.spared = spared;
    this.nodePulls = nodePulls;
  }

  /** The next {@code count} row reads are each followed by a write in their range. */
  void writeAfterTheNextSnapshots(int count) {
    toWrite = count;
  }

  /** How many writes followed a snapshot. */
  int written() {
    return written;
  }

  @Override
  public HubRows rows(String requester, String table, KeyRange range) {
    HubRows rows = super.rows(requester, table, range);
    if (toWrite > 0) {
      toWrite--;
      Row row =
          rows.rows().stream()
              .filter(candidate -> ((Number) candidate.get("id")).longValue() != spared)
              .findFirst()
              .orElseThrow();
      Note note =
          new Note(((Number) row.get("id")).longValue(), "written after the snapshot " + ++written);
      hubNode.inTransaction(notes -> notes.update(note));
      nodePulls.run();
    }
    return rows;
  }
}
