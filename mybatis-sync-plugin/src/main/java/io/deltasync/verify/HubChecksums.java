package io.deltasync.verify;

import java.util.List;

/**
 * The hub's checksums of the ranges a node asked for, read in one snapshot. Immutable.
 *
 * @param hubSeq the hub's highest seq when it read them: every delta up to it is in the checksums
 * @param ranges one per asked range, in the same order and with the same bounds
 */
public record HubChecksums(long hubSeq, List<KeyRange> ranges) {

  public HubChecksums {
    if (hubSeq < 0) {
      throw new IllegalArgumentException("hubSeq must be >= 0, but was " + hubSeq);
    }
    ranges = List.copyOf(ranges);
  }
}
