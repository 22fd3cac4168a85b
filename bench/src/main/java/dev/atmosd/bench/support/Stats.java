package dev.atmosd.bench.support;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Order statistics over repeated runs and over latency samples; the figures in BENCHMARKS.md are built from these. */
public final class Stats {
  private Stats() {
  }

  /** The median of the runs with min and max, e.g. {@code 1.23 (1.10–1.40)}. */
  public static String medianMinMax(List<Double> values, String format) {
    if (values.isEmpty()) {
      return "–";
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    String median = String.format(Locale.ROOT, format, median(sorted));
    if (sorted.length == 1) {
      return median;
    }
    return median + " (" + String.format(Locale.ROOT, format, sorted[0]) + "–"
        + String.format(Locale.ROOT, format, sorted[sorted.length - 1]) + ")";
  }

  public static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** The nearest-rank percentile of sorted samples ({@code p} in 0..100). */
  public static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  public static long[] sorted(long[] samples) {
    long[] copy = Arrays.copyOf(samples, samples.length);
    Arrays.sort(copy);
    return copy;
  }
}
