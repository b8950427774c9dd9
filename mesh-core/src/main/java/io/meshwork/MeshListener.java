package io.meshwork;

import io.meshwork.config.ConfigChange;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.resilience.CircuitState;
import java.time.Duration;

/**
 * Told what the mesh does: every attempt, every ejection, every breaker change, and every config
 * applied or rejected. Called on the thread where it happened, so it must be quick; one that throws
 * is logged and otherwise ignored.
 */
public interface MeshListener {

  /** One attempt of a call ended. */
  default void onAttempt(AttemptEvent event) {}

  /** {@code instance} of {@code service} was ejected by outlier detection for {@code duration}. */
  default void onEjected(String service, ServiceInstance instance, Duration duration) {}

  /** {@code instance} of {@code service} came back from an ejection. */
  default void onRestored(String service, ServiceInstance instance) {}

  /** The breaker of {@code instance} of {@code service} moved from {@code from} to {@code to}. */
  default void onCircuitStateChange(String service, ServiceInstance instance, CircuitState from,
      CircuitState to) {}

  /** A config was applied ({@code Mesh.apply}, a reloaded file, etcd, the control plane). */
  default void onConfigApplied(ConfigChange change) {}

  /** A config was refused; the one in force stays. {@code source} says where it came from. */
  default void onConfigRejected(String source, InvalidConfigurationException reason) {}
}
