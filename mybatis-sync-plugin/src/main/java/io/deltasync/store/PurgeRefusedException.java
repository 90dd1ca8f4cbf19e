package io.deltasync.store;

import java.util.Map;

/**
 * Thrown when a purge would delete deltas that known peers have not acknowledged and the caller did
 * not force it; the message names each peer and how many it still needs. Nothing was deleted.
 */
public class PurgeRefusedException extends DeltaStoreException {

  private final transient Map<String, Long> stillNeededBy;

  public PurgeRefusedException(String message, Map<String, Long> stillNeededBy) {
    super(message, null);
    this.stillNeededBy = Map.copyOf(stillNeededBy);
  }

  /** Per peer, how many of the deltas it still needs. */
  public Map<String, Long> stillNeededBy() {
    return stillNeededBy;
  }
}
