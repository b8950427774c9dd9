package io.meshwork.resilience;

import io.meshwork.time.Ticker;

/**
 * A circuit breaker: closed, it counts failures; open, it refuses calls for a while; half-open, it
 * lets a few probes through and their outcome closes or re-opens it.
 *
 * <p>Every {@link #tryAcquire()} that returns true must be followed by exactly one of
 * {@link #onSuccess()}, {@link #onFailure()} or {@link #onIgnored()} (for a cancelled call), so the
 * probes of a half-open breaker always come back and it can never stay stuck. Lock-free: acquiring
 * and recording take no lock and allocate nothing.
 */
public interface CircuitBreaker {

  /** Asks to make one call; false means the circuit refuses it. */
  boolean tryAcquire();

  /** The acquired call succeeded. */
  void onSuccess();

  /** The acquired call failed (including timeouts). */
  void onFailure();

  /** The acquired call ended without an outcome (it was cancelled): the permit is returned. */
  void onIgnored();

  /** The current state; an open breaker whose open duration has passed reports half-open. */
  CircuitState state();

  /** A breaker on the system clock. */
  static CircuitBreaker of(CircuitBreakerConfig config) {
    return of(config, Ticker.system(), (from, to) -> {});
  }

  /** A breaker on {@code ticker} that tells {@code listener} of every state change. */
  static CircuitBreaker of(CircuitBreakerConfig config, Ticker ticker, Listener listener) {
    return new DefaultCircuitBreaker(config, ticker, listener);
  }

  /** Told of each state change, on the thread that caused it. */
  @FunctionalInterface
  interface Listener {
    /** The breaker moved from {@code from} to {@code to}. */
    void onStateChange(CircuitState from, CircuitState to);
  }
}
