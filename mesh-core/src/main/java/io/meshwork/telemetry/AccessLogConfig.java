package io.meshwork.telemetry;

import java.util.Objects;

/**
 * What the access log writes on logger {@code io.meshwork.access}: one line per outbound call and
 * per inbound request, for every exchange, only errors, a sample (errors always), or nothing; as
 * text (Envoy's default layout) or as one JSON object per line.
 *
 * <pre>{@code
 * AccessLogConfig.errorsOnly()          // the default: failures, 5xx, and local refusals or denials
 * AccessLogConfig.sampled(0.01).json()  // 1% of all exchanges plus every error, as JSON
 * }</pre>
 *
 * @param mode which exchanges are logged
 * @param sampleRatio for {@link Mode#SAMPLED}, the share of non-error exchanges logged, 0..1
 * @param format text or JSON
 */
public record AccessLogConfig(Mode mode, double sampleRatio, Format format) {

  /** Which exchanges get a line. */
  public enum Mode {
    /** None. */
    OFF,
    /** Every exchange. */
    ALL,
    /** Exchanges that failed, answered 5xx, or carry a response flag (a timeout, a refusal, a denial). */
    ERRORS,
    /** Every error, and a random share ({@code sampleRatio}) of the others. */
    SAMPLED
  }

  /** How a line is written. */
  public enum Format {
    /** Envoy's default layout: {@code [start] "GET /path" 200 - 0 12 3 ...}. */
    TEXT,
    /** One JSON object per line with snake_case fields. */
    JSON
  }

  /** Checks every field. */
  public AccessLogConfig {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(format, "format");
    if (!(sampleRatio >= 0 && sampleRatio <= 1)) {
      throw new IllegalArgumentException("sampleRatio: " + sampleRatio + " (expected: 0..1)");
    }
  }

  /** No access log. */
  public static AccessLogConfig off() {
    return new AccessLogConfig(Mode.OFF, 0, Format.TEXT);
  }

  /** A line for every exchange. */
  public static AccessLogConfig all() {
    return new AccessLogConfig(Mode.ALL, 1, Format.TEXT);
  }

  /** A line for every error only (the default). */
  public static AccessLogConfig errorsOnly() {
    return new AccessLogConfig(Mode.ERRORS, 0, Format.TEXT);
  }

  /** A line for every error and for a random {@code ratio} (0..1) of the other exchanges. */
  public static AccessLogConfig sampled(double ratio) {
    return new AccessLogConfig(Mode.SAMPLED, ratio, Format.TEXT);
  }

  /** This configuration writing JSON lines. */
  public AccessLogConfig json() {
    return new AccessLogConfig(mode, sampleRatio, Format.JSON);
  }

  /** This configuration writing text lines. */
  public AccessLogConfig text() {
    return new AccessLogConfig(mode, sampleRatio, Format.TEXT);
  }
}
