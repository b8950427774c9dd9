package io.meshwork.internal;

import io.meshwork.AttemptEvent;
import io.meshwork.InvalidConfigurationException;
import io.meshwork.MeshListener;
import io.meshwork.config.ConfigChange;
import io.meshwork.CallEvent;
import io.meshwork.InboundEvent;
import io.meshwork.MeshException;
import io.meshwork.Rejection;
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

  /**
   * A listener that tells {@code first} (may be null) then {@code second} of a destination's events
   * (ejections, restores, breaker changes), each isolated from the other.
   */
  static MeshListener both(MeshListener first, MeshListener second) {
    if (first == null) {
      return second;
    }
    return new MeshListener() {
      @Override
      public void onEjected(String service, ServiceInstance instance, Duration duration) {
        safely(() -> first.onEjected(service, instance, duration));
        second.onEjected(service, instance, duration);
      }

      @Override
      public void onRestored(String service, ServiceInstance instance) {
        safely(() -> first.onRestored(service, instance));
        second.onRestored(service, instance);
      }

      @Override
      public void onCircuitStateChange(String service, ServiceInstance instance, CircuitState from,
          CircuitState to) {
        safely(() -> first.onCircuitStateChange(service, instance, from, to));
        second.onCircuitStateChange(service, instance, from, to);
      }
    };
  }

  private static void safely(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.warn("mesh listener failed", e);
    }
  }

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

  static void call(MeshListener listener, CallEvent event) {
    try {
      listener.onCall(event);
    } catch (RuntimeException e) {
      log.warn("mesh listener failed on a call to {}", event.service(), e);
    }
  }

  static void budgetExhausted(MeshListener listener, String service) {
    if (listener == null) {
      return;
    }
    try {
      listener.onRetryBudgetExhausted(service);
    } catch (RuntimeException e) {
      log.warn("mesh listener failed on a retry budget exhaustion in {}", service, e);
    }
  }

  static void rejected(MeshListener listener, String service, Rejection reason, MeshException failure) {
    try {
      listener.onRejected(service, reason, failure);
    } catch (RuntimeException e) {
      log.warn("mesh listener failed on a rejection in {}", service, e);
    }
  }

  static void inbound(MeshListener listener, InboundEvent event) {
    try {
      listener.onInboundRequest(event);
      if (event.denied()) {
        listener.onInboundDenied(event);
      }
    } catch (RuntimeException e) {
      log.warn("mesh listener failed on an inbound request to {}", event.service(), e);
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
