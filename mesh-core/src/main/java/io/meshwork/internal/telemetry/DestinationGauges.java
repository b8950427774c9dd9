package io.meshwork.internal.telemetry;

import io.meshwork.registry.HealthStatus;
import io.meshwork.resilience.CircuitState;
import io.meshwork.transport.ConnectionStats;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * The gauges of one destination, read from the state the mesh keeps anyway when scraped: its
 * instances by health, its transport's connections, and the breaker state of each instance (kept in
 * step with the registry's list by {@link #instances}).
 */
public final class DestinationGauges {

  private static final String[] STATES = {"closed", "open", "half_open"};

  private final Instruments instruments;
  private final String service;
  /** The breaker of each instance address; the gauges read through it, so a new endpoint needs no new gauge. */
  private final Map<String, Supplier<CircuitState>> breakers = new ConcurrentHashMap<>();

  /**
   * Gauges of {@code service}: {@code instancesBy} counts its instances of a health,
   * {@code connections} reads its transport client's stats.
   */
  public DestinationGauges(Instruments instruments, String service, ToIntFunction<HealthStatus> instancesBy,
      Supplier<ConnectionStats> connections) {
    this.instruments = instruments;
    this.service = service;
    for (HealthStatus health : HealthStatus.values()) {
      instruments.instances.gauge(() -> instancesBy.applyAsInt(health), service,
          health.name().toLowerCase(Locale.ROOT));
    }
    instruments.connections.gauge(() -> connections.get().open(), service, "open");
    instruments.connections.gauge(() -> connections.get().idle(), service, "idle");
  }

  /** The instances are now {@code current} (address to breaker state); their gauges follow. */
  public synchronized void instances(Map<String, Supplier<CircuitState>> current) {
    for (String gone : breakers.keySet().toArray(new String[0])) {
      if (!current.containsKey(gone)) {
        breakers.remove(gone);
        for (String state : STATES) {
          instruments.circuitState.remove(service, gone, state);
        }
      }
    }
    for (Map.Entry<String, Supplier<CircuitState>> entry : current.entrySet()) {
      String address = entry.getKey();
      if (breakers.put(address, entry.getValue()) == null) {
        for (CircuitState state : CircuitState.values()) {
          instruments.circuitState.gauge(() -> stateOf(address) == state ? 1 : 0, service, address,
              STATES[state.ordinal()]);
        }
      }
    }
  }

  private CircuitState stateOf(String address) {
    Supplier<CircuitState> breaker = breakers.get(address);
    return breaker == null ? null : breaker.get();
  }
}
