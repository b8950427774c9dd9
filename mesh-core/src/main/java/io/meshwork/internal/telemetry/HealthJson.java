package io.meshwork.internal.telemetry;

import io.meshwork.health.DestinationHealth;
import io.meshwork.health.HealthReport;
import io.meshwork.health.InstanceHealth;
import java.util.Locale;

/** The health report as JSON: what the admin endpoint's {@code /health/report} answers. */
final class HealthJson {

  private HealthJson() {}

  static String of(HealthReport report) {
    StringBuilder out = new StringBuilder(512);
    StringBuilder served = new StringBuilder("[");
    for (String address : report.served()) {
      if (served.length() > 1) {
        served.append(',');
      }
      Json.quote(served, address);
    }
    StringBuilder destinations = new StringBuilder("[");
    for (DestinationHealth destination : report.destinations()) {
      if (destinations.length() > 1) {
        destinations.append(',');
      }
      destination(destinations, destination);
    }
    new Json(out).field("service", report.service()).raw("served", served.append(']').toString())
        .raw("destinations", destinations.append(']').toString()).end();
    return out.toString();
  }

  private static void destination(StringBuilder out, DestinationHealth destination) {
    StringBuilder instances = new StringBuilder("[");
    for (InstanceHealth instance : destination.instances()) {
      if (instances.length() > 1) {
        instances.append(',');
      }
      StringBuilder labels = new StringBuilder();
      Json json = new Json(labels);
      new java.util.TreeMap<>(instance.instance().labels()).forEach(json::field);
      json.end();
      new Json(instances).field("id", instance.instance().id()).field("address", instance.instance().address())
          .field("namespace", instance.instance().namespace()).field("weight", instance.instance().weight())
          .raw("labels", labels.toString())
          .field("health", lower(instance.instance().health().name()))
          .field("state", lower(instance.state().name()))
          .field("state_for_ms", instance.stateFor().toMillis())
          .field("circuit", lower(instance.circuit().name()))
          .field("ejections", instance.ejections())
          .field("consecutive_failures", instance.consecutiveFailures())
          .field("recent_calls", instance.recentCalls())
          .field("success_rate", instance.successRate())
          .field("mean_latency_ms", instance.meanLatency().toNanos() / 1e6).end();
    }
    new Json(out).field("service", destination.service()).field("available", destination.available())
        .field("panic", destination.panic()).raw("instances", instances.append(']').toString()).end();
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
