package io.deltasync.apply.internal;

import io.deltasync.conflict.internal.ConflictRows;
import io.deltasync.delta.Delta;
import io.deltasync.delta.DeltaBatch;
import io.deltasync.delta.Incarnation;
import io.deltasync.store.Rebase;
import io.deltasync.store.internal.DeltaRows;
import io.deltasync.store.internal.IncarnationRows;
import io.deltasync.store.internal.ValueLists;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a batch stands in its sender's stream, as this node knows it: whether the sender's seqs
 * went back, so that this node must re-base its {@code lastProcessed} for the sender instead of
 * skipping the sender's new deltas as seen, or whether the batch belongs to a past incarnation of
 * the sender.
 *
 * <p>The sender's seqs went back when the batch names an incarnation this node has not seen and
 * whose base lies below {@code lastProcessed} (the sender's database lost its latest commits, or
 * was restored), or when a delta at or below {@code lastProcessed} comes with an id that this node
 * does not hold while it took that seq of the sender as another delta (same seq, other id: proof of
 * reuse, also from senders that name no incarnation). Either only ever lowers this node's pointer
 * for that one sender: deltas are then applied after it unless held by id, so nothing is applied
 * twice, and no other sender's stream moves. Reads only; {@link #record} writes the outcome.
 */
public final class SenderStream {

  private SenderStream() {}

  /**
   * What to do with a batch.
   *
   * @param lastProcessed the pointer to apply the batch against
   * @param stale the batch belongs to a past incarnation of its sender: apply nothing of it
   * @param rebase the re-base to record, or null
   * @param adopt the sender's incarnation to record as its current one, or null
   */
  public record Position(long lastProcessed, boolean stale, Rebase rebase, Incarnation adopt) {}

  /** Where the batch stands against this node's pointer for its sender. */
  public static Position of(
      Connection connection, String nodeId, DeltaBatch batch, long lastProcessed)
      throws SQLException {
    String sender = batch.sender();
    Incarnation incarnation = batch.incarnation();
    String current = IncarnationRows.peerIncarnation(connection, nodeId, sender);
    Rebase rebase = null;
    Incarnation adopt = null;
    long pointer = lastProcessed;
    if (incarnation != null && !incarnation.id().equals(current)) {
      if (current != null && IncarnationRows.seen(connection, nodeId, sender, incarnation.id())) {
        return new Position(lastProcessed, true, null, null);
      }
      adopt = incarnation;
      if (pointer > incarnation.baseSeq()) {
        rebase =
            new Rebase(
                nodeId,
                sender,
                pointer,
                incarnation.baseSeq(),
                current,
                incarnation.id(),
                sender
                    + " began incarnation "
                    + incarnation.id()
                    + " at seq "
                    + incarnation.baseSeq()
                    + ", below the seq "
                    + pointer
                    + " that "
                    + nodeId
                    + " had processed of it: its database lost its latest commits or was"
                    + " restored",
                Instant.now());
        pointer = incarnation.baseSeq();
      }
    }
    Reuse reuse = reusedSeq(connection, nodeId, batch, pointer);
    if (reuse != null) {
      Delta reused = reuse.delta();
      rebase =
          new Rebase(
              nodeId,
              sender,
              rebase == null ? pointer : rebase.fromSeq(),
              reused.seq() - 1,
              current,
              incarnation == null ? current : incarnation.id(),
              sender
                  + " sent seq "
                  + reused.seq()
                  + " as delta "
                  + reused.id()
                  + ", but "
                  + nodeId
                  + " had processed that seq as delta "
                  + reuse.heldId()
                  + ": its database lost its latest commits or was restored",
              Instant.now());
      pointer = reused.seq() - 1;
    }
    return new Position(pointer, false, rebase, adopt);
  }

  /** Records the re-base and the sender's incarnation, on the locked pointer row. */
  public static void record(Connection connection, String nodeId, String sender, Position position)
      throws SQLException {
    if (position.rebase() != null) {
      IncarnationRows.rebase(connection, position.rebase());
    }
    if (position.adopt() != null) {
      IncarnationRows.adopt(connection, nodeId, sender, position.adopt());
    }
  }

  /** A delta sent at a seq this node took as another delta. */
  private record Reuse(Delta delta, String heldId) {}

  /**
   * The first delta of the batch at or below the pointer that this node does not hold by id, while
   * it holds another delta id that the sender sent at the same seq; null when there is none. Deltas
   * this node holds as dead letters or conflicts are no proof: they were never stored as received.
   */
  private static Reuse reusedSeq(
      Connection connection, String nodeId, DeltaBatch batch, long pointer) throws SQLException {
    List<Delta> candidates = new ArrayList<>();
    for (Delta delta : batch.deltas()) {
      if (delta.seq() <= pointer && !delta.origin().equals(nodeId)) {
        candidates.add(delta);
      }
    }
    if (candidates.isEmpty()) {
      return null;
    }
    List<String> ids = candidates.stream().map(Delta::id).toList();
    Set<String> known = DeltaRows.existingIds(connection, ids);
    known.addAll(
        DeltaRows.textsIn(
            connection,
            "SELECT delta_id FROM ds_dead_letter WHERE delta_id " + ValueLists.LIST,
            ids));
    known.addAll(ConflictRows.existingIds(connection, ids));
    candidates.removeIf(delta -> known.contains(delta.id()));
    if (candidates.isEmpty()) {
      return null;
    }
    Map<Long, String> held =
        heldAt(connection, batch.sender(), candidates.stream().map(Delta::seq).toList());
    for (Delta delta : candidates) {
      String other = held.get(delta.seq());
      if (other != null && !other.equals(delta.id())) {
        return new Reuse(delta, other);
      }
    }
    return null;
  }

  /** The delta ids this node stored as received from the sender at these seqs of the sender. */
  private static Map<Long, String> heldAt(Connection connection, String sender, List<Long> seqs)
      throws SQLException {
    Map<Long, String> held = new HashMap<>();
    ValueLists.select(
        connection,
        "SELECT source_seq, delta_id FROM ds_delta WHERE received_from = ? AND source_seq "
            + ValueLists.LIST,
        seqs,
        select -> {
          select.setString(1, sender);
          return 1;
        },
        row -> held.put(row.getLong(1), row.getString(2)));
    return held;
  }
}
