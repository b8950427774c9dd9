package io.meshwork.internal;

import io.meshwork.AttemptEvent;
import io.meshwork.InvalidConfigurationException;
import io.meshwork.MeshListener;
import io.meshwork.config.ConfigChange;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.resilience.CircuitState;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a {@link MeshListener} so that one that throws is logged and breaks nothing; a null
 * listener (none configured) is skipped.
 */
final class Listeners {

  private static final Logger log = LoggerFactory.getLogger(Listeners.class);

  private Listeners() {}

  static void attempt(MeshListener listener, AttemptEvent event) {
    if (listener == null) {
      return;
    }
    try {
      listener.onAttempt(event);
    } catch (RuntimeException e) {
      log.warn("mesh listener failed on an attempt to {}", event.service(), e);
    }
  }

  static void ejected(MeshListener listener, String service, ServiceInstance instance, Duration duration,
      String why) {
    log.info("{}: ejected {} for {} ms: {}", service, instance.address(), duration.toMillis(), why);
    if (listener == null) {
      return;
    }
    try {
      listener.onEjected(service, instance, duration);
    } catch (RuntimeException e) {
      log.warn("mesh listener failed on an ejection in {}", service, e);
    }
  }

  static void restored(MeshListener listener, String service, ServiceInstance instance) {
    log.info("{}: {} is back from ejection", service, instance.address());
    if (listener == null) {
      return;
    }
    try {
      listener.onRestored(service, instance);
    } catch (RuntimeException e) {
      log.warn("mesh listener failed on a restore in {}", service, e);
    }
  }

  static void configApplied(MeshListener listener, String service, ConfigChange change) {
    log.info("{}: config applied: {}", service, change);
    if (listener == null) {
      return;
    }
    try {
      listener.onConfigApplied(change);
    } catch (RuntimeException e) {
      log.warn("mesh listener failed on an applied config", e);
    }
  }

  static void configRejected(MeshListener listener, String source, InvalidConfigurationException reason) {
    log.warn("config from {} rejected, the one in force stays: {}", source, reason.getMessage());
    if (listener == null) {
      return;
    }
    try {
      listener.onConfigRejected(source, reason);
    } catch (RuntimeException e) {
      log.warn("mesh listener failed on a rejected config", e);
    }
  }

  static void circuitStateChange(MeshListener listener, String service, ServiceInstance instance,
      CircuitState from, CircuitState to) {
    log.info("{}: circuit of {} {} -> {}", service, instance.address(), from, to);
    if (listener == null) {
      return;
    }
    try {
      listener.onCircuitStateChange(service, instance, from, to);
    } catch (RuntimeException e) {
      log.warn("mesh listener failed on a breaker change in {}", service, e);
    }
  }
}
