package io.meshwork.internal.telemetry;

import io.meshwork.telemetry.MetricType;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The mesh's families as the Prometheus client's snapshots, written by its exposition library in
 * Prometheus text 0.0.4 or OpenMetrics 1.0 as the {@code Accept} header asks. Labels with an empty
 * value are left out, as Prometheus treats them as absent anyway.
 */
final class PrometheusExposition {

  private static final ExpositionFormats FORMATS = ExpositionFormats.init();

  private PrometheusExposition() {}

  static String contentType(String accept) {
    return writer(accept).getContentType();
  }

  static void write(OutputStream out, String accept, Collection<Family> families) throws IOException {
    writer(accept).write(out, snapshots(families));
  }

  /** The writer for {@code accept}; text 0.0.4 for anything it does not name, or names and we lack. */
  private static ExpositionFormatWriter writer(String accept) {
    ExpositionFormatWriter writer = FORMATS.findWriter(accept);
    return writer.isAvailable() ? writer : FORMATS.getPrometheusTextFormatWriter();
  }

  static MetricSnapshots snapshots(Collection<Family> families) {
    List<MetricSnapshot> snapshots = new ArrayList<>();
    for (Family family : families) {
      if (!family.series().isEmpty()) {
        snapshots.add(snapshot(family));
      }
    }
    return new MetricSnapshots(snapshots);
  }

  private static MetricSnapshot snapshot(Family family) {
    String name = family.baseName();
    Unit unit = family.unit().isEmpty() ? null : new Unit(family.unit());
    if (family.type() == MetricType.COUNTER) {
      CounterSnapshot.Builder counter = CounterSnapshot.builder().name(name).help(family.help());
      for (Series series : family.series()) {
        counter.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(series.value())
            .labels(labels(family, series)).build());
      }
      return counter.build();
    }
    if (family.type() == MetricType.GAUGE) {
      GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(name).help(family.help()).unit(unit);
      for (Series series : family.series()) {
        gauge.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(series.value())
            .labels(labels(family, series)).build());
      }
      return gauge.build();
    }
    double[] bounds = family.bucketBounds();
    double[] upper = new double[bounds.length + 1];
    System.arraycopy(bounds, 0, upper, 0, bounds.length);
    upper[bounds.length] = Double.POSITIVE_INFINITY;
    HistogramSnapshot.Builder histogram = HistogramSnapshot.builder().name(name).help(family.help()).unit(unit);
    for (Series series : family.series()) {
      histogram.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
          .classicHistogramBuckets(ClassicHistogramBuckets.of(upper, series.bucketCounts()))
          .sum(series.value()).labels(labels(family, series)).build());
    }
    return histogram.build();
  }

  private static Labels labels(Family family, Series series) {
    List<String> names = family.labelNames();
    List<String> values = series.labelValues();
    Labels.Builder labels = Labels.builder();
    for (int i = 0; i < names.size(); i++) {
      if (!values.get(i).isEmpty()) {
        labels.label(names.get(i).replace('.', '_'), values.get(i));
      }
    }
    return labels.build();
  }
}
