package io.meshwork.internal.telemetry;

import io.meshwork.telemetry.MeshMetrics;
import io.meshwork.telemetry.MetricFamily;
import io.meshwork.telemetry.MetricSeries;
import io.meshwork.telemetry.MetricType;
import io.meshwork.telemetry.SeriesListener;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The metric families of one mesh, and who listens for their series. */
public final class MetricRegistry implements MeshMetrics {

  private static final Logger log = LoggerFactory.getLogger(MetricRegistry.class);
  private static final double[] NO_BOUNDS = new double[0];

  private final Map<String, Family> families = new ConcurrentSkipListMap<>();
  private final List<SeriesListener> listeners = new CopyOnWriteArrayList<>();

  /** A counter family; the same one when asked again with the same name. */
  public Family counter(String name, String help, String... labelNames) {
    return family(name, help, "", MetricType.COUNTER, NO_BOUNDS, labelNames);
  }

  /** A gauge family measured in {@code unit} (empty for a count of things). */
  public Family gauge(String name, String help, String unit, String... labelNames) {
    return family(name, help, unit, MetricType.GAUGE, NO_BOUNDS, labelNames);
  }

  /** A histogram family of durations in seconds with {@code bounds} (seconds, ascending). */
  public Family histogram(String name, String help, double[] bounds, String... labelNames) {
    return family(name, help, "seconds", MetricType.HISTOGRAM, bounds.clone(), labelNames);
  }

  private Family family(String name, String help, String unit, MetricType type, double[] bounds,
      String[] labelNames) {
    Family family = families.computeIfAbsent(name,
        n -> new Family(this, n, help, unit, type, List.of(labelNames), bounds));
    if (family.type() != type || !family.labelNames().equals(List.of(labelNames))) {
      throw new IllegalStateException("metric " + name + " is already a " + family.type() + " with labels "
          + family.labelNames());
    }
    return family;
  }

  @Override
  public Collection<Family> families() {
    return families.values();
  }

  @Override
  public MetricFamily family(String name) {
    return families.get(name);
  }

  @Override
  public AutoCloseable subscribe(SeriesListener listener) {
    listeners.add(listener);
    for (Family family : families.values()) {
      for (Series series : family.series()) {
        tell(listener, series, true);
      }
    }
    return () -> listeners.remove(listener);
  }

  @Override
  public String contentType(String accept) {
    return PrometheusExposition.contentType(accept);
  }

  @Override
  public void write(OutputStream out, String accept) throws IOException {
    PrometheusExposition.write(out, accept, families.values());
  }

  void added(Series series) {
    for (SeriesListener listener : listeners) {
      tell(listener, series, true);
    }
  }

  void removed(Series series) {
    for (SeriesListener listener : listeners) {
      tell(listener, series, false);
    }
  }

  private static void tell(SeriesListener listener, MetricSeries series, boolean added) {
    try {
      if (added) {
        listener.added(series);
      } else {
        listener.removed(series);
      }
    } catch (RuntimeException e) {
      log.warn("metrics listener failed on {}", series, e);
    }
  }
}
