package io.meshwork.bench.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The median of several rounds with its spread (lowest and highest round).
 *
 * @param median the median round
 * @param min the lowest round
 * @param max the highest round
 * @param rounds how many rounds had a value
 */
public record Stats(double median, double min, double max, int rounds) {

  /** No value at all. */
  public static final Stats NONE = new Stats(Double.NaN, Double.NaN, Double.NaN, 0);

  /** The stats of {@code values}, ignoring NaN. */
  public static Stats of(List<Double> values) {
    List<Double> sorted = new ArrayList<>();
    for (Double value : values) {
      if (value != null && !value.isNaN() && !value.isInfinite()) {
        sorted.add(value);
      }
    }
    if (sorted.isEmpty()) {
      return NONE;
    }
    Collections.sort(sorted);
    int n = sorted.size();
    double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return new Stats(median, sorted.get(0), sorted.get(n - 1), n);
  }

  /** Every value multiplied by {@code factor} (a positive one). */
  public Stats times(double factor) {
    return new Stats(median * factor, min * factor, max * factor, rounds);
  }

  /** Whether any round had a value. */
  public boolean present() {
    return rounds > 0;
  }

  /** Whether the two ranges of rounds overlap: the difference is within this machine's noise. */
  public boolean overlaps(Stats other) {
    return present() && other.present() && min <= other.max && other.min <= max;
  }
}
