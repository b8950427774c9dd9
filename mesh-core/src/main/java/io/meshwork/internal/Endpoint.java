package io.meshwork.internal;

import io.meshwork.registry.ServiceInstance;
import io.meshwork.resilience.CircuitBreaker;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a destination knows of one instance, kept across registry updates of that instance id: its
 * breaker, its run of failures and its ejection history. Ejection fields are guarded by the
 * destination's lock.
 */
final class Endpoint {

  volatile ServiceInstance instance;
  CircuitBreaker breaker;
  final AtomicInteger consecutiveFailures = new AtomicInteger();
  /** When an open breaker will let probes through, on the mesh's ticker. */
  volatile long reopenAtNanos;

  boolean ejected;
  long ejectedUntilNanos;
  int ejections;
  long restoredAtNanos;

  Endpoint(ServiceInstance instance) {
    this.instance = instance;
  }
}
