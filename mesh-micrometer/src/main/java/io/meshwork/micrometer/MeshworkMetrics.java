package io.meshwork.micrometer;

import io.meshwork.Mesh;
import io.meshwork.telemetry.MeshMetrics;
import io.meshwork.telemetry.MetricFamily;
import io.meshwork.telemetry.MetricSeries;
import io.meshwork.telemetry.SeriesListener;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds a mesh's metrics to a Micrometer {@link MeterRegistry}, as Resilience4j's and Armeria's
 * binders do: every series becomes a meter named as the mesh names it (OpenTelemetry's dotted names,
 * such as {@code http.client.request.duration}), its labels its tags. Counters become
 * {@link FunctionCounter}s, gauges {@link Gauge}s and duration histograms {@link FunctionTimer}s
 * (count and total time); the meters read the mesh's own recorders, so binding adds nothing to the
 * calls. Series that appear later (a new route, status or instance) are registered as they appear,
 * and removed when they go.
 *
 * <pre>{@code
 * MeshworkMetrics.of(mesh).bindTo(meterRegistry);   // or declare it as a MeterBinder bean
 * }</pre>
 */
public final class MeshworkMetrics implements MeterBinder, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MeshworkMetrics.class);

  private final MeshMetrics metrics;
  private final Iterable<Tag> extraTags;
  private final List<AutoCloseable> subscriptions = new ArrayList<>();

  private MeshworkMetrics(MeshMetrics metrics, Iterable<Tag> extraTags) {
    this.metrics = metrics;
    this.extraTags = extraTags;
  }

  /** A binder of {@code mesh}'s metrics. */
  public static MeshworkMetrics of(Mesh mesh) {
    return of(Objects.requireNonNull(mesh, "mesh").metrics());
  }

  /** A binder of {@code metrics}. */
  public static MeshworkMetrics of(MeshMetrics metrics) {
    return new MeshworkMetrics(Objects.requireNonNull(metrics, "metrics"), List.of());
  }

  /** This binder adding {@code tags} (such as the application's name) to every meter. */
  public MeshworkMetrics withTags(Iterable<Tag> tags) {
    return new MeshworkMetrics(metrics, Objects.requireNonNull(tags, "tags"));
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    Map<MetricSeries, Meter> meters = new ConcurrentHashMap<>();
    AutoCloseable subscription = metrics.subscribe(new SeriesListener() {
      @Override
      public void added(MetricSeries series) {
        Meter meter = register(registry, series);
        Meter previous = meters.put(series, meter);
        if (previous != null && previous != meter) {
          registry.remove(previous);
        }
      }

      @Override
      public void removed(MetricSeries series) {
        Meter meter = meters.remove(series);
        if (meter != null) {
          registry.remove(meter);
        }
      }
    });
    synchronized (subscriptions) {
      subscriptions.add(subscription);
    }
  }

  /** Stops registering new series; meters already registered stay. */
  @Override
  public void close() {
    synchronized (subscriptions) {
      for (AutoCloseable subscription : subscriptions) {
        try {
          subscription.close();
        } catch (Exception e) {
          log.warn("could not stop binding the mesh's metrics", e);
        }
      }
      subscriptions.clear();
    }
  }

  private Meter register(MeterRegistry registry, MetricSeries series) {
    MetricFamily family = series.family();
    List<Tag> tags = tags(family, series);
    switch (family.type()) {
      case COUNTER:
        return FunctionCounter.builder(family.name(), series, MetricSeries::value).description(family.help())
            .tags(tags).register(registry);
      case GAUGE:
        return Gauge.builder(family.name(), series, MetricSeries::value).description(family.help())
            .baseUnit(family.unit().isEmpty() ? null : family.unit()).tags(tags).register(registry);
      default:
        return FunctionTimer.builder(family.name(), series, MetricSeries::count, MetricSeries::sum,
            TimeUnit.SECONDS).description(family.help()).tags(tags).register(registry);
    }
  }

  private List<Tag> tags(MetricFamily family, MetricSeries series) {
    List<Tag> tags = new ArrayList<>();
    List<String> names = family.labelNames();
    List<String> values = series.labelValues();
    for (int i = 0; i < names.size(); i++) {
      tags.add(Tag.of(names.get(i), values.get(i)));
    }
    for (Tag tag : extraTags) {
      tags.add(tag);
    }
    return tags;
  }
}
