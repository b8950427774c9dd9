package io.meshwork.internal.telemetry;

import io.meshwork.telemetry.AccessLogConfig;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes access log lines on logger {@code io.meshwork.access} at INFO, as text in Envoy's layout or
 * as JSON. Whether an exchange gets a line is decided before anything is formatted, so an access
 * log for errors only costs a successful call one comparison.
 */
public final class AccessLog {

  /** The logger name users configure. */
  public static final String LOGGER = "io.meshwork.access";
  private static final Logger log = LoggerFactory.getLogger(LOGGER);

  private final AccessLogConfig config;

  /** An access log as {@code config} says. */
  public AccessLog(AccessLogConfig config) {
    this.config = config;
  }

  /** Whether an exchange that is ({@code error}) or is not an error gets a line. */
  public boolean wants(boolean error) {
    switch (config.mode()) {
      case OFF:
        return false;
      case ALL:
        return log.isInfoEnabled();
      case ERRORS:
        return error && log.isInfoEnabled();
      default:
        return (error || ThreadLocalRandom.current().nextDouble() < config.sampleRatio()) && log.isInfoEnabled();
    }
  }

  /** Whether any exchange may get a line. */
  public boolean enabled() {
    return config.mode() != AccessLogConfig.Mode.OFF;
  }

  /** Writes the line of {@code entry}. */
  public void write(AccessEntry entry) {
    log.info(config.format() == AccessLogConfig.Format.JSON ? json(entry) : text(entry));
  }

  /** Envoy's default layout, with the mesh's fields after it. */
  static String text(AccessEntry e) {
    StringBuilder line = new StringBuilder(200);
    line.append('[').append(Instant.ofEpochMilli(e.startMillis())).append("] ")
        .append(e.outbound() ? "outbound" : "inbound").append(" \"").append(e.method()).append(' ')
        .append(e.path()).append("\" ").append(e.status()).append(' ').append(e.flag().code()).append(' ')
        .append(e.bytesReceived()).append(' ').append(e.bytesSent()).append(' ')
        .append(e.durationNanos() / 1_000_000).append(' ').append(e.attempts()).append(' ');
    quoted(line, e.service()).append(' ');
    quoted(line, e.upstream()).append(' ');
    quoted(line, e.route()).append(' ');
    quoted(line, e.traceId()).append(' ');
    return quoted(line, e.caller()).toString();
  }

  static String json(AccessEntry e) {
    StringBuilder line = new StringBuilder(300);
    new Json(line).field("start_time", Instant.ofEpochMilli(e.startMillis()).toString())
        .field("direction", e.outbound() ? "outbound" : "inbound").field("method", e.method())
        .field("path", e.path()).field("status", e.status()).field("response_flags", e.flag().code())
        .field("bytes_received", e.bytesReceived()).field("bytes_sent", e.bytesSent())
        .field("duration_ms", e.durationNanos() / 1e6).field("attempts", e.attempts())
        .field("service", e.service()).field("upstream", e.upstream()).field("route", e.route())
        .field("trace_id", e.traceId()).field("caller", e.caller()).end();
    return line.toString();
  }

  /** A value in quotes as Envoy writes it, "-" for none; escaped so it cannot end the field. */
  private static StringBuilder quoted(StringBuilder line, String value) {
    if (value == null) {
      return line.append("\"-\"");
    }
    Json.quote(line, value);
    return line;
  }
}
