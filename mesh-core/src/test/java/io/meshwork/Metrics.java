package io.meshwork;

import io.meshwork.telemetry.MetricFamily;
import io.meshwork.telemetry.MetricSeries;
import java.util.List;

/** Reads a mesh's metrics in tests: the series of a family whose labels hold the given values. */
final class Metrics {

  private Metrics() {}

  /** The series of {@code name} whose labels match {@code labels} (name, value, ...); fails unless one. */
  static MetricSeries series(Mesh mesh, String name, String... labels) {
    List<MetricSeries> found = all(mesh, name, labels);
    if (found.size() != 1) {
      throw new AssertionError(found.size() + " series of " + name + " with " + List.of(labels) + ": " + found);
    }
    return found.get(0);
  }

  /** The total of the counters (or histogram counts) of {@code name} matching {@code labels}. */
  static long count(Mesh mesh, String name, String... labels) {
    long total = 0;
    for (MetricSeries series : all(mesh, name, labels)) {
      total += series.count();
    }
    return total;
  }

  static List<MetricSeries> all(Mesh mesh, String name, String... labels) {
    MetricFamily family = mesh.metrics().family(name);
    if (family == null) {
      return List.of();
    }
    return family.series().stream().filter(series -> matches(family, series, labels))
        .map(MetricSeries.class::cast).toList();
  }

  private static boolean matches(MetricFamily family, MetricSeries series, String[] labels) {
    for (int i = 0; i < labels.length; i += 2) {
      int index = family.labelNames().indexOf(labels[i]);
      if (index < 0) {
        throw new AssertionError(family.name() + " has no label " + labels[i] + ": " + family.labelNames());
      }
      if (!series.labelValues().get(index).equals(labels[i + 1])) {
        return false;
      }
    }
    return true;
  }
}
