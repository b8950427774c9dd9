package io.meshwork.controlplane.server.api;

/**
 * Seam: the body of {@code GET /metrics}. {@link FleetGauges} writes the control plane's own gauges in
 * the Prometheus text format; the observability module's registry (with its JVM and HTTP metrics)
 * replaces it by implementing this interface, with no change to the API.
 */
public interface MetricsExposition {

  /** The content type of {@link #scrape()}. */
  String contentType();

  /** The metrics now. */
  String scrape();
}
