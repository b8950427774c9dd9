package io.meshwork.controlplane.server.api;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The control plane's gauges in the Prometheus text format 0.0.4: services, endpoints by status,
 * rules, certificates, waiting watches, uptime. See {@link MetricsExposition} for the seam.
 */
final class FleetGauges implements MetricsExposition {

  private final Supplier<Map<String, Number>> gauges;

  /** Gauges named by the keys of {@code gauges} (each {@code name} or {@code name{label="value"}}). */
  FleetGauges(Supplier<Map<String, Number>> gauges) {
    this.gauges = gauges;
  }

  @Override
  public String contentType() {
    return "text/plain; version=0.0.4; charset=utf-8";
  }

  @Override
  public String scrape() {
    StringBuilder text = new StringBuilder();
    String typed = null;
    for (Map.Entry<String, Number> gauge : gauges.get().entrySet()) {
      String name = gauge.getKey();
      int brace = name.indexOf('{');
      String family = brace < 0 ? name : name.substring(0, brace);
      if (!family.equals(typed)) {
        text.append("# TYPE ").append(family).append(" gauge\n");
        typed = family;
      }
      text.append(name).append(' ').append(gauge.getValue()).append('\n');
    }
    return text.toString();
  }
}
