package io.meshwork.telemetry;

import java.util.Collection;
import java.util.List;

/**
 * A metric the mesh records and every series of it, one per combination of label values. Names
 * follow OpenTelemetry's conventions (dotted, such as {@code http.client.request.duration}); the
 * Prometheus exposition turns dots into underscores and adds the unit and {@code _total} suffixes.
 */
public interface MetricFamily {

  /** The dotted name, such as {@code meshwork.client.retries}. */
  String name();

  /** The name in the Prometheus exposition, such as {@code meshwork_client_retries_total}. */
  String prometheusName();

  /** What the metric means, in one sentence. */
  String help();

  /** The unit, such as {@code seconds}; empty when the metric counts things. */
  String unit();

  /** The kind of metric. */
  MetricType type();

  /** The label names, dotted as OpenTelemetry writes them (such as {@code http.request.method}). */
  List<String> labelNames();

  /** A histogram's bucket upper bounds in its unit, ascending; empty for other types. */
  double[] bucketBounds();

  /** The series recorded so far. */
  Collection<? extends MetricSeries> series();
}
