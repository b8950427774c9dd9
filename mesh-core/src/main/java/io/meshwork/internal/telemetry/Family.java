package io.meshwork.internal.telemetry;

import io.meshwork.telemetry.MetricFamily;
import io.meshwork.telemetry.MetricType;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * One metric and its series by label values. Finding a series by its values is the slow path
 * (a map lookup on a new list): the hot path keeps the series it found and records into it.
 */
public final class Family implements MetricFamily {

  private final MetricRegistry registry;
  private final String name;
  private final String help;
  private final String unit;
  private final MetricType type;
  private final List<String> labelNames;
  private final double[] bounds;
  private final long[] boundsNanos;
  private final Map<List<String>, Series> series = new ConcurrentHashMap<>();

  Family(MetricRegistry registry, String name, String help, String unit, MetricType type, List<String> labelNames,
      double[] bounds) {
    this.registry = registry;
    this.name = name;
    this.help = help;
    this.unit = unit;
    this.type = type;
    this.labelNames = labelNames;
    this.bounds = bounds;
    this.boundsNanos = new long[bounds.length];
    for (int i = 0; i < bounds.length; i++) {
      boundsNanos[i] = Math.round(bounds[i] * 1e9);
    }
  }

  /** The counter of these label values, made on first use. */
  public CounterSeries counter(String... values) {
    return (CounterSeries) series(values, null, MetricType.COUNTER);
  }

  /** The histogram of these label values, made on first use. */
  public HistogramSeries histogram(String... values) {
    return (HistogramSeries) series(values, null, MetricType.HISTOGRAM);
  }

  /** The gauge of these label values, kept by the mesh, made on first use. */
  public GaugeSeries gauge(String... values) {
    return (GaugeSeries) series(values, null, MetricType.GAUGE);
  }

  /** A gauge read from {@code source} at each scrape; replaces an earlier one of the same values. */
  public GaugeSeries gauge(DoubleSupplier source, String... values) {
    check(MetricType.GAUGE, values);
    return (GaugeSeries) replace(new GaugeSeries(this, List.of(values), source));
  }

  private Series replace(Series made) {
    Series previous = series.put(made.labelValues(), made);
    if (previous != null) {
      registry.removed(previous);
    }
    registry.added(made);
    return made;
  }

  /** A counter read from {@code source} at each scrape; replaces an earlier one of the same values. */
  public CounterSeries counter(LongSupplier source, String... values) {
    check(MetricType.COUNTER, values);
    return (CounterSeries) replace(new CounterSeries(this, List.of(values), source));
  }

  /** Removes the series of these label values, if any. */
  public void remove(String... values) {
    Series gone = series.remove(List.of(values));
    if (gone != null) {
      registry.removed(gone);
    }
  }

  private Series series(String[] values, DoubleSupplier source, MetricType wanted) {
    check(wanted, values);
    List<String> key = List.of(values);
    Series found = series.get(key);
    if (found != null) {
      return found;
    }
    Series[] made = new Series[1];
    found = series.computeIfAbsent(key, k -> made[0] = switch (type) {
      case COUNTER -> new CounterSeries(this, k, null);
      case GAUGE -> new GaugeSeries(this, k, source);
      case HISTOGRAM -> new HistogramSeries(this, k, boundsNanos);
    });
    if (made[0] == found) {
      registry.added(found);
    }
    return found;
  }

  private void check(MetricType wanted, String[] values) {
    if (type != wanted) {
      throw new IllegalStateException(name + " is a " + type + ", not a " + wanted);
    }
    if (values.length != labelNames.size()) {
      throw new IllegalArgumentException(name + ": label values " + Arrays.toString(values) + " (expected: "
          + labelNames.size() + " values for " + labelNames + ")");
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String prometheusName() {
    String base = baseName();
    return type == MetricType.COUNTER ? base + "_total" : base;
  }

  /** The Prometheus name without the {@code _total} of counters, with the unit. */
  String baseName() {
    String base = name.replace('.', '_');
    return unit.isEmpty() ? base : base + "_" + unit;
  }

  @Override
  public String help() {
    return help;
  }

  @Override
  public String unit() {
    return unit;
  }

  @Override
  public MetricType type() {
    return type;
  }

  @Override
  public List<String> labelNames() {
    return labelNames;
  }

  @Override
  public double[] bucketBounds() {
    return bounds.clone();
  }

  @Override
  public Collection<Series> series() {
    return series.values();
  }

  @Override
  public String toString() {
    return name + labelNames;
  }
}
