package io.meshwork.telemetry;

/**
 * Told when a series appears (the first call to a new route or status, a new instance) or goes
 * (an instance left), so a bridge such as mesh-micrometer can register and remove meters. Called on
 * the thread that made the change; must be quick and must not throw.
 */
public interface SeriesListener {

  /** {@code series} was added. */
  void added(MetricSeries series);

  /** {@code series} was removed and will not change again. */
  default void removed(MetricSeries series) {}
}
