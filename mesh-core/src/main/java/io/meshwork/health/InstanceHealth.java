package io.meshwork.health;

import io.meshwork.registry.ServiceInstance;
import io.meshwork.resilience.CircuitState;
import java.time.Duration;

/**
 * One instance of a destination: what the mesh does with it now and how it has been answering.
 *
 * @param instance the instance as registered
 * @param state what the mesh does with it now
 * @param stateFor how much longer an ejection or open circuit lasts; zero for the other states
 * @param circuit the state of its breaker
 * @param ejections how many times it has been ejected (decays while it behaves)
 * @param consecutiveFailures its current run of failures
 * @param recentCalls the calls counted in the recent success rate and latency
 * @param successRate the share of recent calls that succeeded, 0..1; NaN without recent calls
 * @param meanLatency the mean latency of recent calls; zero without recent calls
 */
public record InstanceHealth(ServiceInstance instance, InstanceState state, Duration stateFor,
    CircuitState circuit, int ejections, int consecutiveFailures, long recentCalls, double successRate,
    Duration meanLatency) {

  /** Whether outlier detection has it ejected now. */
  public boolean ejected() {
    return state == InstanceState.EJECTED;
  }

  /** How much longer it stays ejected; zero when it is not ejected. */
  public Duration ejectedFor() {
    return ejected() ? stateFor : Duration.ZERO;
  }

  @Override
  public String toString() {
    String name = instance.id().equals(instance.address()) ? instance.id() : instance.id() + " " + instance.address();
    StringBuilder text = new StringBuilder(name).append(' ').append(state.words());
    if (!stateFor.isZero()) {
      text.append(" for ").append(seconds(stateFor));
    }
    if (recentCalls == 0) {
      text.append(", no recent calls");
    } else {
      text.append(String.format(", %.1f%% success, %s mean over %d recent calls", successRate * 100,
          millis(meanLatency), recentCalls));
    }
    return text.toString();
  }

  private static String seconds(Duration duration) {
    return String.format("%.1f s", duration.toMillis() / 1000.0);
  }

  private static String millis(Duration duration) {
    return String.format("%.1f ms", duration.toNanos() / 1e6);
  }
}
