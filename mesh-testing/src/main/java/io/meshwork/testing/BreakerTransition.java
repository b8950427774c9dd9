package io.meshwork.testing;

import io.meshwork.registry.ServiceInstance;
import io.meshwork.resilience.CircuitState;

/**
 * A change of one instance's circuit breaker, as a {@link MeshActivity} recorded it.
 *
 * @param service the destination service
 * @param instance the instance whose breaker changed
 * @param from the state before
 * @param to the state after
 */
public record BreakerTransition(String service, ServiceInstance instance, CircuitState from, CircuitState to) {

  @Override
  public String toString() {
    return service + ": circuit of " + instance.address() + " " + from + " -> " + to;
  }
}
