package io.deltasync.store;

import java.time.Instant;

/**
 * A time this node moved its {@code lastProcessed} for a peer back because the peer's seqs went
 * back: the peer began a new incarnation below what this node had processed (its database lost its
 * latest commits, or was restored from a backup), or sent a seq this node had processed with
 * another delta id. What followed was taken again, skipping by delta id what this node held.
 *
 * @param nodeId the node that re-based
 * @param peerId the peer whose stream it re-based
 * @param fromSeq {@code lastProcessed} before
 * @param toSeq {@code lastProcessed} after
 * @param oldIncarnation the peer's incarnation before, null when unknown
 * @param newIncarnation the peer's incarnation after, null when the peer names none
 * @param reason why, in words
 * @param at when
 */
public record Rebase(
    String nodeId,
    String peerId,
    long fromSeq,
    long toSeq,
    String oldIncarnation,
    String newIncarnation,
    String reason,
    Instant at) {}
