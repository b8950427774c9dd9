package io.meshwork.internal.telemetry;

import io.meshwork.MeshListener;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.resilience.CircuitState;
import java.time.Duration;
import java.util.Locale;

/**
 * Counts the rare events of destinations (breaker transitions, ejections) from the listener calls
 * the mesh already makes for them.
 */
public final class TelemetryListener implements MeshListener {

  private final Instruments instruments;

  /** Counts into {@code instruments}. */
  public TelemetryListener(Instruments instruments) {
    this.instruments = instruments;
  }

  @Override
  public void onEjected(String service, ServiceInstance instance, Duration duration) {
    instruments.ejections.counter(service, instance.address()).increment();
  }

  @Override
  public void onCircuitStateChange(String service, ServiceInstance instance, CircuitState from, CircuitState to) {
    instruments.circuitTransitions.counter(service, instance.address(), to.name().toLowerCase(Locale.ROOT))
        .increment();
  }
}
