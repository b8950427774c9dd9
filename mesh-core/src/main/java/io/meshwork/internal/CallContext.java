package io.meshwork.internal;

import io.meshwork.CallOptions;
import io.meshwork.MeshResponse;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.tracing.MeshSpan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What the stages share for one call. Its contract is explicit: the values one stage sets for the
 * others (the deadline, the current attempt, the chosen instance) are read through accessors that
 * fail with a message naming the stage that sets them when it has not run, never with a
 * NullPointerException or a silent default. Written by one stage at a time as the call moves through
 * the chain.
 */
final class CallContext {

  final String service;
  final CallOptions options;
  /** The inbound request this call is made for, or null: its deadline bounds this call's. */
  final CallScope scope;
  /** When the call started, on the mesh's ticker: its deadline counts from here. */
  final long startNanos;

  private RouteDecision route;
  private long deadlineNanos;
  private Duration timeout;
  private boolean deadlineSet;
  /** The attempt in progress; null before the first. */
  private volatile Attempt attempt;
  /** Set once the call as a whole is over (deadline, cancel, close): no further attempt starts. */
  volatile Throwable callAbort;
  private volatile int attemptsSent;
  /** The last response an attempt brought back: it beats a later local refusal. */
  volatile MeshResponse lastResponse;
  /** The failure of the last attempt that reached an instance (not a local refusal). */
  volatile Throwable lastFailure;
  private List<ServiceInstance> tried = List.of();
  /** The destination's telemetry; set by the telemetry stage, a no-op without one. */
  ClientTelemetry telemetry = ClientTelemetry.NONE;
  /** The call's span, the parent of its attempts' spans; null when tracing is off. */
  MeshSpan span;
  /** Why the retry stage gave up on an outcome it could have retried; null when it did not. */
  volatile String retriesExhausted;

  CallContext(String service, CallOptions options, CallScope scope, long startNanos) {
    this.service = service;
    this.options = options;
    this.scope = scope;
    this.startNanos = startNanos;
  }

  /** Sets where the call goes; the route stage does. */
  void route(RouteDecision decision) {
    this.route = decision;
  }

  /** Where the call goes and with what overrides. */
  RouteDecision route() {
    RouteDecision decided = route;
    if (decided == null) {
      throw ContextValue.ROUTE.missing();
    }
    return decided;
  }

  /** The name of the route taken, or "none" when the call ended before the route stage ran. */
  String routeName() {
    RouteDecision decided = route;
    return decided == null ? "none" : decided.route;
  }

  /** The instance of the current attempt, or null when none was picked. */
  ServiceInstance lastInstance() {
    Attempt current = attempt;
    return current == null ? null : current.instanceOrNull();
  }

  /** Sets the call's deadline; the deadline stage does. */
  void deadline(long deadlineNanos, Duration timeout) {
    this.deadlineNanos = deadlineNanos;
    this.timeout = timeout;
    this.deadlineSet = true;
  }

  /** When the call's deadline passes, on the mesh's ticker. */
  long deadlineNanos() {
    if (!deadlineSet) {
      throw ContextValue.DEADLINE.missing();
    }
    return deadlineNanos;
  }

  /** The timeout the deadline was set from. */
  Duration timeout() {
    if (!deadlineSet) {
      throw ContextValue.DEADLINE.missing();
    }
    return timeout;
  }

  /** Starts attempt {@code number}, which inherits any abort of the whole call; the retry stage does. */
  Attempt beginAttempt(int number) {
    Attempt next = new Attempt(number);
    attempt = next;
    Throwable cause = callAbort;
    if (cause != null) {
      next.abort(cause);
    }
    return next;
  }

  /** The attempt in progress. */
  Attempt attempt() {
    Attempt current = attempt;
    if (current == null) {
      throw ContextValue.ATTEMPT.missing();
    }
    return current;
  }

  /** The attempt number in progress, 0 before the first. */
  int attempts() {
    Attempt current = attempt;
    return current == null ? 0 : current.number;
  }

  /** An attempt reached the transport (a connection was tried and the request offered to it). */
  void attemptSent() {
    attemptsSent++; // attempts of one call run one after another, never at once
  }

  /** How many attempts reached the transport; local refusals are not counted. */
  int attemptsSent() {
    return attemptsSent;
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
    if (!tried.contains(instance)) {
      tried.add(instance);
    }
  }
}
