package io.meshwork.telemetry;

/** The kind of a {@link MetricFamily}. */
public enum MetricType {
  /** A total that only grows: calls, retries, handshakes. */
  COUNTER,
  /** A value that goes up and down: in-flight calls, instances, seconds to certificate expiry. */
  GAUGE,
  /** A distribution of durations in explicit buckets, with its count and sum. */
  HISTOGRAM
}
