package io.meshwork.controlplane.server.export;

import java.time.Duration;

/** Durations as Envoy's JSON and YAML write them: seconds, with milliseconds when there are any. */
final class Durations {

  private Durations() {}

  static String envoy(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : String.format(java.util.Locale.ROOT, "%d.%03ds",
        millis / 1000, millis % 1000);
  }

  /** NGINX's form: whole seconds, or milliseconds. */
  static String nginx(Duration duration) {
    long millis = Math.max(1, duration.toMillis());
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }
}
