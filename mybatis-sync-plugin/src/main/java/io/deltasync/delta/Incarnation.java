package io.deltasync.delta;

import java.util.Objects;

/**
 * One life of a node's database: what a sender's seqs count in.
 *
 * <p>A node begins a new incarnation whenever its process starts over the database (and whenever it
 * finds that the database no longer holds the incarnation it began, e.g. restored from a backup),
 * because that is when the database may have lost commits it had acknowledged: H2 after a kill, any
 * database restored from a backup. Seqs up to {@code baseSeq} are the same deltas in the new
 * incarnation as in the old one; seqs above it may be reused for other deltas. A receiver that has
 * processed the sender's seqs beyond {@code baseSeq} in another incarnation therefore re-bases: it
 * moves its pointer back to {@code baseSeq} and takes what follows, skipping by delta id what it
 * already holds.
 *
 * @param id random, unique id of the incarnation (a UUIDv7)
 * @param baseSeq the node's highest seq when the incarnation began, 0 when it held no delta
 */
public record Incarnation(String id, long baseSeq) {

  public Incarnation {
    Objects.requireNonNull(id, "id");
    Delta.requireToken(id, "incarnation id");
    if (baseSeq < 0) {
      throw new IllegalArgumentException("baseSeq must be >= 0, but was " + baseSeq);
    }
  }
}
