package io.deltasync.console.delta;

import io.deltasync.delta.Kind;
import java.time.Instant;

/**
 * What the Deltas page lists: each field narrows the list, null leaves it open.
 *
 * @param peer only deltas still pending for this peer
 * @param origin only deltas captured on this node
 * @param table only deltas on this table (lower case)
 * @param kind only INSERT, UPDATE or DELETE
 * @param statementId only this MyBatis statement id; a {@code *} matches any characters
 * @param from only deltas captured at or after this instant
 * @param to only deltas captured before this instant
 * @param oldestFirst seq ascending instead of the default newest first
 * @param cursor the seq the previous page ended at (keyset); null for the first page
 */
public record DeltaFilter(
    String peer,
    String origin,
    String table,
    Kind kind,
    String statementId,
    Instant from,
    Instant to,
    boolean oldestFirst,
    Long cursor) {

  public DeltaFilter {
    peer = blankToNull(peer);
    origin = blankToNull(origin);
    table =
        table == null || table.isBlank() ? null : table.trim().toLowerCase(java.util.Locale.ROOT);
    statementId = blankToNull(statementId);
  }

  /** Every delta, newest first. */
  public static DeltaFilter all() {
    return new DeltaFilter(null, null, null, null, null, null, null, false, null);
  }

  /** The same filter continuing after the given seq. */
  public DeltaFilter after(long seq) {
    return new DeltaFilter(peer, origin, table, kind, statementId, from, to, oldestFirst, seq);
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.trim();
  }
}
