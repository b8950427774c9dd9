package io.meshwork.resilience;

/** The outcomes a {@link RetryPolicy} may retry. */
public enum RetryOn {
  /** No connection could be made: the request was not sent (safe for any method). */
  CONNECT_FAILURE,
  /** The connection failed after the request may have been sent: reset, closed, malformed. */
  RESET,
  /** A 5xx response. */
  SERVER_ERROR,
  /** An attempt passed the per-try timeout. */
  TIMEOUT
}
