package io.meshwork.resilience;

/** The state of a {@link CircuitBreaker}. */
public enum CircuitState {
  /** Calls pass; failures are counted. */
  CLOSED,
  /** Calls are refused until the open duration has passed. */
  OPEN,
  /** A bounded number of probe calls pass; their outcome closes or re-opens the circuit. */
  HALF_OPEN
}
