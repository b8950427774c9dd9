package io.meshwork.policy;

import java.time.Duration;

/**
 * Active health checking of a destination's instances: every {@code interval} (with jitter) the mesh
 * sends {@code GET path} to each instance; {@code unhealthyThreshold} failures in a row (no answer
 * within {@code timeout}, or a status outside 200..299) mark it unhealthy in the registry, and
 * {@code healthyThreshold} successes in a row mark it healthy again. Works alongside passive outlier
 * detection.
 *
 * @param enabled whether checks run
 * @param path the path to GET, such as {@code /health}
 * @param interval the time between two checks of one instance
 * @param jitter the random share added to or taken off each interval, 0..1
 * @param timeout the limit of one check
 * @param healthyThreshold successes in a row that mark an instance healthy
 * @param unhealthyThreshold failures in a row that mark an instance unhealthy
 */
public record HealthCheckConfig(boolean enabled, String path, Duration interval, double jitter,
    Duration timeout, int healthyThreshold, int unhealthyThreshold) {

  /** Validates every field. */
  public HealthCheckConfig {
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("path: '" + path + "' (expected: starts with '/')");
    }
    positive("interval", interval);
    positive("timeout", timeout);
    if (timeout.compareTo(interval) > 0) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: <= interval " + interval + ")");
    }
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("jitter: " + jitter + " (expected: 0.0..1.0)");
    }
    if (healthyThreshold < 1) {
      throw new IllegalArgumentException("healthyThreshold: " + healthyThreshold + " (expected: >= 1)");
    }
    if (unhealthyThreshold < 1) {
      throw new IllegalArgumentException("unhealthyThreshold: " + unhealthyThreshold + " (expected: >= 1)");
    }
  }

  /** No active checks: the default. */
  public static HealthCheckConfig disabled() {
    return new HealthCheckConfig(false, "/health", Duration.ofSeconds(10), 0.1, Duration.ofSeconds(1), 2, 3);
  }

  /** Checks of {@code path} every 10 s (10% jitter), 1 s timeout, 2 to heal, 3 to fail. */
  public static HealthCheckConfig of(String path) {
    return new HealthCheckConfig(true, path, Duration.ofSeconds(10), 0.1, Duration.ofSeconds(1), 2, 3);
  }

  /** This config with another interval and timeout. */
  public HealthCheckConfig withTiming(Duration interval, Duration timeout) {
    return new HealthCheckConfig(enabled, path, interval, jitter, timeout, healthyThreshold, unhealthyThreshold);
  }

  /** This config with other thresholds. */
  public HealthCheckConfig withThresholds(int healthy, int unhealthy) {
    return new HealthCheckConfig(enabled, path, interval, jitter, timeout, healthy, unhealthy);
  }

  private static void positive(String field, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(field + ": " + value + " (expected: > 0)");
    }
  }
}
