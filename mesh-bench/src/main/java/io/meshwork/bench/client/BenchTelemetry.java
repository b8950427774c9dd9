package io.meshwork.bench.client;

import io.meshwork.telemetry.TelemetryConfig;

/**
 * The telemetry of the benchmark's meshes, chosen with
 * {@code -Dmeshwork.bench.telemetry=on|off|metrics|tracing}: {@code on} (the default) is what the docs
 * recommend (metrics and tracing on, the access log for errors only); {@code off} records, propagates
 * and logs nothing, for the overhead comparison; {@code metrics} and {@code tracing} keep only one of
 * the two, to tell their costs apart in a profile.
 */
public final class BenchTelemetry {

  /** The system property that chooses. */
  public static final String PROPERTY = "meshwork.bench.telemetry";

  private BenchTelemetry() {}

  /** The configuration the property asks for. */
  public static TelemetryConfig config() {
    String value = System.getProperty(PROPERTY, "on");
    return switch (value) {
      case "on" -> TelemetryConfig.defaults();
      case "off" -> TelemetryConfig.off();
      case "metrics" -> TelemetryConfig.defaults().toBuilder().tracing(false).build();
      case "tracing" -> TelemetryConfig.defaults().toBuilder().metrics(false).build();
      default -> throw new IllegalArgumentException(PROPERTY + ": " + value
          + " (expected: on, off, metrics or tracing)");
    };
  }
}
