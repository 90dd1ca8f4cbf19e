package io.deltasync.ship;

/**
 * The most a node accepts in one message; larger ones are refused as {@link
 * ShipException.Reason#TOO_LARGE} before anything is decoded further.
 *
 * @param maxEnvelopeBytes the most bytes of one envelope as received (compressed)
 * @param maxBatchBytes the most bytes an envelope may expand to, so a gzip bomb is stopped early
 * @param maxBatchDeltas the most deltas in one batch
 */
public record ShipLimits(long maxEnvelopeBytes, long maxBatchBytes, int maxBatchDeltas) {

  /** 16 MiB compressed, 64 MiB expanded, 10,000 deltas. */
  public static final ShipLimits DEFAULT = new ShipLimits(16L << 20, 64L << 20, 10_000);

  public ShipLimits {
    if (maxEnvelopeBytes <= 0) {
      throw new IllegalArgumentException(
          "maxEnvelopeBytes must be > 0, but was " + maxEnvelopeBytes);
    }
    if (maxBatchBytes <= 0) {
      throw new IllegalArgumentException("maxBatchBytes must be > 0, but was " + maxBatchBytes);
    }
    if (maxBatchDeltas <= 0) {
      throw new IllegalArgumentException("maxBatchDeltas must be > 0, but was " + maxBatchDeltas);
    }
  }
}
