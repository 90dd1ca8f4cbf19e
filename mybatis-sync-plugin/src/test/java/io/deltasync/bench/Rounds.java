package io.deltasync.bench;

import java.util.Arrays;
import java.util.Locale;

/** The median and the spread of a benchmark's rounds, as its tables print them. */
final class Rounds {

  private Rounds() {}

  /** The rounds a mode asks for: {@code quick} 3, {@code full} 15, or a number. */
  static int of(String mode) {
    return switch (mode) {
      case "quick" -> 3;
      case "full" -> 15;
      default -> Integer.parseInt(mode);
    };
  }

  /** The median of the values (the mean of the middle two for an even count). */
  static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  }

  /**
   * The median with the min–max, each divided by {@code unit} (1e6 for nanoseconds as
   * milliseconds), e.g. {@code 12.3 (11.0–19.8)}.
   */
  static String spread(long[] values, double unit) {
    long min = Arrays.stream(values).min().orElse(0);
    long max = Arrays.stream(values).max().orElse(0);
    return String.format(
        Locale.ROOT, "%.1f (%.1f–%.1f)", median(values) / unit, min / unit, max / unit);
  }
}
