package io.deltasync.load;

/**
 * What the hub did with one {@link ReverseChunk}. Immutable.
 *
 * @param inserted rows the hub did not hold, now added (and sent on as row images)
 * @param overwritten rows the hub held with other values, now the client's ({@link
 *     ReverseChoice#CLIENT_WINS} only; sent on as row images)
 * @param kept rows the hub held with other values and kept ({@link ReverseChoice#HUB_WINS})
 * @param unchanged rows the hub held with the same values
 */
public record ReverseResult(int inserted, int overwritten, int kept, int unchanged) {

  public ReverseResult {
    if (inserted < 0 || overwritten < 0 || kept < 0 || unchanged < 0) {
      throw new IllegalArgumentException(
          "counts must be >= 0, but were "
              + inserted
              + ", "
              + overwritten
              + ", "
              + kept
              + ", "
              + unchanged);
    }
  }

  /** Rows the hub wrote. */
  public int written() {
    return inserted + overwritten;
  }
}
