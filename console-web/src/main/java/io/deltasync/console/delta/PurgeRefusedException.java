package io.deltasync.console.delta;

import java.util.Map;

/** A purge was refused because known peers have not acknowledged some of its deltas. */
public class PurgeRefusedException extends RuntimeException {

  private final Map<String, Long> stillNeededBy;

  public PurgeRefusedException(Map<String, Long> stillNeededBy) {
    super(
        "purge refused: peers still need some of these deltas "
            + stillNeededBy
            + "; tick 'force' to purge them anyway");
    this.stillNeededBy = Map.copyOf(stillNeededBy);
  }

  /** Peer to how many of the deltas it still needs. */
  public Map<String, Long> stillNeededBy() {
    return stillNeededBy;
  }
}
