package io.deltasync.console.node;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A peer's lag over the last minutes as an SVG polyline the page draws without script.
 *
 * @param points the polyline's points, {@code "x,y x,y ..."} in a {@link #WIDTH} by {@link #HEIGHT}
 *     box; empty when there are no samples
 * @param max the highest lag in deltas shown, the top of the chart
 * @param samples how many samples the chart holds
 */
public record LagChart(String points, long max, int samples) {

  /** The chart's width in SVG units. */
  public static final int WIDTH = 240;

  /** The chart's height in SVG units. */
  public static final int HEIGHT = 48;

  /** A chart of the samples taken within {@code span} before {@code now}. */
  public static LagChart of(List<LagSampler.LagSample> samples, Instant now, Duration span) {
    long max = samples.stream().mapToLong(LagSampler.LagSample::deltas).max().orElse(0);
    double spanMillis = Math.max(1, span.toMillis());
    StringBuilder points = new StringBuilder();
    for (LagSampler.LagSample sample : samples) {
      double age = Duration.between(sample.at(), now).toMillis();
      double x = Math.max(0, WIDTH - age / spanMillis * WIDTH);
      double y = max == 0 ? HEIGHT - 1 : HEIGHT - 1 - (HEIGHT - 2) * sample.deltas() / (double) max;
      if (!points.isEmpty()) {
        points.append(' ');
      }
      points.append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
    }
    return new LagChart(points.toString(), max, samples.size());
  }
}
