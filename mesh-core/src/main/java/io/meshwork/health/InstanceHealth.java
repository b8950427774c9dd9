package io.meshwork.health;

import io.meshwork.registry.ServiceInstance;
import io.meshwork.resilience.CircuitState;
import java.time.Duration;

/**
 * One instance of a destination.
 *
 * @param instance the instance as registered
 * @param circuit the state of its breaker
 * @param ejectedFor how much longer it stays ejected; zero when it is not ejected
 * @param ejections how many times it has been ejected (decays while it behaves)
 * @param consecutiveFailures its current run of failures
 */
public record InstanceHealth(ServiceInstance instance, CircuitState circuit, Duration ejectedFor,
    int ejections, int consecutiveFailures) {

  /** Whether outlier detection has it ejected now. */
  public boolean ejected() {
    return !ejectedFor.isZero();
  }

  @Override
  public String toString() {
    String name = instance.id().equals(instance.address()) ? instance.id() : instance.id() + " " + instance.address();
    return name + " " + instance.health()
        + " circuit=" + circuit + (ejected() ? " EJECTED for " + ejectedFor.toMillis() + " ms" : "")
        + " failures-in-a-row=" + consecutiveFailures;
  }
}
