package io.meshwork;

import io.meshwork.config.ConfigChange;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.resilience.CircuitState;
import java.time.Duration;

/**
 * Told what the mesh does: every call and attempt, every refusal, every ejection and breaker change,
 * every inbound request, and every config applied or refused. Called on the thread where it
 * happened, so it must be quick; one that throws is logged and otherwise ignored.
 */
public interface MeshListener {

  /** One call ended: its final outcome, its attempts and its total latency. */
  default void onCall(CallEvent event) {}

  /** A retry of a call to {@code service} was refused by the destination's retry budget. */
  default void onRetryBudgetExhausted(String service) {}

  /**
   * A call to {@code service} was refused by the mesh itself (a rate limit, a concurrency limit, open
   * circuits, no healthy instance) with {@code failure}; nothing was sent.
   */
  default void onRejected(String service, Rejection reason, MeshException failure) {}

  /** This mesh's server answered one inbound request. */
  default void onInboundRequest(InboundEvent event) {}

  /** This mesh's server refused an inbound request (authorization, rate limit); also an inbound request. */
  default void onInboundDenied(InboundEvent event) {}

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
