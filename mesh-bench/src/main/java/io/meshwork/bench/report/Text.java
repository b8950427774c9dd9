package io.meshwork.bench.report;

import java.util.Locale;

/** How numbers read in the report: a median followed by its spread over the rounds. */
final class Text {

  private Text() {}

  /** {@code median (min–max)} with {@code pattern}, or "—" when nothing was measured. */
  static String spread(Stats stats, String pattern) {
    if (!stats.present()) {
      return "—";
    }
    if (stats.rounds() == 1) {
      return String.format(Locale.ROOT, pattern, stats.median());
    }
    return String.format(Locale.ROOT, pattern + " (" + pattern + "–" + pattern + ")", stats.median(), stats.min(),
        stats.max());
  }

  /** Just the median. */
  static String median(Stats stats, String pattern) {
    return stats.present() ? String.format(Locale.ROOT, pattern, stats.median()) : "—";
  }

  static String format(String pattern, Object... values) {
    return String.format(Locale.ROOT, pattern, values);
  }

  /** A latency in microseconds, shown in ms past 10 ms. */
  static String latency(double micros) {
    if (Double.isNaN(micros)) {
      return "—";
    }
    return micros >= 10_000 ? format("%.1f ms", micros / 1000) : format("%.0f µs", micros);
  }

  /** A latency median with its spread, in µs or ms. */
  static String latency(Stats stats) {
    if (!stats.present()) {
      return "—";
    }
    if (stats.rounds() == 1) {
      return latency(stats.median());
    }
    return latency(stats.median()) + " (" + latency(stats.min()) + "–" + latency(stats.max()) + ")";
  }

  /** The display name of a client. */
  static String client(String kind) {
    return switch (kind) {
      case "limit" -> "plain Netty client (the limit)";
      case "meshwork" -> "Meshwork, plaintext";
      case "limit-h2" -> "plain Netty HTTP/2 client (the h2 limit)";
      case "meshwork-h2" -> "Meshwork, plaintext HTTP/2 (h2c)";
      case "meshwork-mtls" -> "Meshwork, STRICT mTLS";
      case "meshwork-on-mesh-servers" -> "Meshwork, plaintext to Meshwork servers";
      case "armeria" -> "Armeria WebClient";
      case "haproxy" -> "plain Netty client → HAProxy sidecar";
      default -> kind;
    };
  }

  /** A short name for charts. */
  static String shortClient(String kind) {
    return switch (kind) {
      case "limit" -> "limit";
      case "meshwork" -> "Meshwork";
      case "limit-h2" -> "h2 limit";
      case "meshwork-h2" -> "Meshwork h2c";
      case "meshwork-mtls" -> "mTLS";
      case "meshwork-on-mesh-servers" -> "→mesh srv";
      case "armeria" -> "Armeria";
      case "haproxy" -> "HAProxy";
      default -> kind;
    };
  }

  /** The display name of a slow-instance configuration. */
  static String config(String config) {
    return switch (config) {
      case "roundRobin" -> "Meshwork, round robin";
      case "leastRequest" -> "Meshwork, least request";
      case "peakEwma" -> "Meshwork, peak-EWMA";
      case "armeria" -> "Armeria, round robin";
      case "threeFast" -> "Meshwork, only the 3 fast instances";
      default -> config;
    };
  }
}
