package io.deltasync.console.delta;

import java.time.Instant;
import java.util.Map;

/**
 * What a purge would delete.
 *
 * @param criterion the purge's criterion, in words
 * @param olderThan for a purge by age, the instant; null otherwise
 * @param upToSeq every delta at or below this seq goes
 * @param count how many deltas that is
 * @param stillNeededBy peer to how many of those deltas it has not acknowledged; empty when none
 */
public record PurgePreview(
    String criterion,
    Instant olderThan,
    long upToSeq,
    long count,
    Map<String, Long> stillNeededBy) {

  public PurgePreview {
    stillNeededBy = Map.copyOf(stillNeededBy);
  }
}
