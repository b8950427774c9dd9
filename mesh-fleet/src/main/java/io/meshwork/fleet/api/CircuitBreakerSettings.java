package io.meshwork.fleet.api;

/**
 * The circuit breaker of a traffic rule's service, as Envoy's thresholds and Istio's outlier
 * detection name it. Every field is optional; a missing one keeps the mesh's default.
 *
 * @param maxRequests attempts in flight to the service at once (1..1000000)
 * @param maxPendingRequests attempts waiting for a slot (0..1000000)
 * @param consecutiveErrors failures in a row that open an instance's breaker and eject it (1..1000)
 * @param openDuration how long a breaker stays open and an instance ejected at first, such as {@code 30s}
 */
public record CircuitBreakerSettings(Integer maxRequests, Integer maxPendingRequests, Integer consecutiveErrors,
    String openDuration) {

  /**
   * These settings checked.
   *
   * @throws FieldError naming the first bad field
   */
  public CircuitBreakerSettings checked() {
    if (maxRequests != null) {
      Checks.between("max_requests", maxRequests, 1, 1_000_000, null);
    }
    if (maxPendingRequests != null) {
      Checks.between("max_pending_requests", maxPendingRequests, 0, 1_000_000, null);
    }
    if (consecutiveErrors != null) {
      Checks.between("consecutive_errors", consecutiveErrors, 1, 1000, null);
    }
    if (openDuration != null) {
      DurationText.parse("open_duration", openDuration);
    }
    return this;
  }
}
