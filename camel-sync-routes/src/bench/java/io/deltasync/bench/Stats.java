package io.deltasync.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Medians, spreads and percentiles of measured values, formatted for the tables. */
final class Stats {

  private Stats() {}

  /** The median of the values (the mean of the middle two for an even count). */
  static double median(double[] values) {
    double[] sorted = sorted(values);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  /** The value below which the fraction {@code p} of the values lie (nearest rank). */
  static double percentile(double[] values, double p) {
    double[] sorted = sorted(values);
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static double min(double[] values) {
    return Arrays.stream(values).min().orElseThrow();
  }

  static double max(double[] values) {
    return Arrays.stream(values).max().orElseThrow();
  }

  static double[] of(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** {@code median (min–max)}, with the given number of decimals. */
  static String spread(double[] values, int decimals) {
    return number(median(values), decimals)
        + " ("
        + number(min(values), decimals)
        + "–"
        + number(max(values), decimals)
        + ")";
  }

  /** A number with thousands separators and the given number of decimals. */
  static String number(double value, int decimals) {
    return String.format(Locale.ROOT, "%,." + decimals + "f", value);
  }

  private static double[] sorted(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no values to summarise");
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted;
  }
}
