package io.deltasync.store;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a purge of {@code ds_delta} would delete, as {@link DeltaMaintenance} previews it; {@link
 * DeltaMaintenance#purge} deletes exactly these deltas and never one stored after the preview.
 *
 * @param criterion {@link #ACKNOWLEDGED} or {@link #OLDER_THAN}
 * @param olderThan for {@link #OLDER_THAN}, the instant the deltas were stored before; else null
 * @param upToSeq the highest seq the purge may delete; 0 when it deletes nothing
 * @param count how many deltas it deletes
 * @param stillNeededBy per known peer that has not acknowledged some of them, how many of them it
 *     would still be sent (not those it originated or delivered); empty when no peer needs any,
 *     sorted by peer
 */
public record PurgePreview(
    String criterion,
    Instant olderThan,
    long upToSeq,
    long count,
    Map<String, Long> stillNeededBy) {

  /** Deltas that every known peer has acknowledged. */
  public static final String ACKNOWLEDGED = "acknowledged";

  /** Deltas stored before an instant. */
  public static final String OLDER_THAN = "older-than";

  public PurgePreview {
    if (!ACKNOWLEDGED.equals(criterion) && !OLDER_THAN.equals(criterion)) {
      throw new IllegalArgumentException(
          "criterion must be " + ACKNOWLEDGED + " or " + OLDER_THAN + ", but was " + criterion);
    }
    if (OLDER_THAN.equals(criterion) != (olderThan != null)) {
      throw new IllegalArgumentException(
          "olderThan must be given exactly for " + OLDER_THAN + ", but was " + olderThan);
    }
    if (upToSeq < 0 || count < 0) {
      throw new IllegalArgumentException(
          "upToSeq and count must be >= 0, but were " + upToSeq + " and " + count);
    }
    Objects.requireNonNull(stillNeededBy, "stillNeededBy");
    stillNeededBy.forEach(
        (peer, needed) -> {
          if (needed == null || needed <= 0) {
            throw new IllegalArgumentException(
                "stillNeededBy counts must be > 0, but " + peer + " has " + needed);
          }
        });
    stillNeededBy = Collections.unmodifiableMap(new TreeMap<>(stillNeededBy));
  }

  /** Whether no known peer still needs any of the deltas: the purge runs without force. */
  public boolean safe() {
    return stillNeededBy.isEmpty();
  }
}
