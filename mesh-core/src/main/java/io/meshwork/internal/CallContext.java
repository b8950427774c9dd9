package io.meshwork.internal;

import io.meshwork.registry.ServiceInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What the stages share for one call: the deadline, the current attempt, the instances tried.
 * Written by one stage at a time as the call moves through the chain.
 */
final class CallContext {

  final String service;
  /** When the call's deadline passes, on the mesh's ticker; set by the deadline stage. */
  long deadlineNanos;
  Duration timeout;
  /** The attempt in progress; null before the first. */
  volatile Attempt attempt;
  /** Set once the call as a whole is over (deadline, cancel, close): no further attempt starts. */
  volatile Throwable callAbort;
  private List<ServiceInstance> tried = List.of();

  CallContext(String service) {
    this.service = service;
  }

  /** Starts attempt {@code number}, which inherits any abort of the whole call. */
  Attempt beginAttempt(int number) {
    Attempt next = new Attempt(number);
    attempt = next;
    Throwable cause = callAbort;
    if (cause != null) {
      next.abort(cause);
    }
    return next;
  }

  /** The attempt number in progress, 0 before the first. */
  int attempts() {
    Attempt current = attempt;
    return current == null ? 0 : current.number;
  }

  /** Ends the whole call with {@code cause}: the current attempt is aborted and no other starts. */
  void abortCall(Throwable cause) {
    callAbort = cause;
    Attempt current = attempt;
    if (current != null) {
      current.abort(cause);
    }
  }

  /** The instances earlier attempts (or refused picks) went to; empty for a first attempt. */
  Collection<ServiceInstance> tried() {
    return tried;
  }

  void addTried(ServiceInstance instance) {
    if (tried.isEmpty()) {
      tried = new ArrayList<>(3);
    }
    tried.add(instance);
  }
}
