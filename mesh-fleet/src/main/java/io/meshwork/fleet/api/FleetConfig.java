package io.meshwork.fleet.api;

import java.util.Locale;

/**
 * The fleet-wide config, the body of {@code POST /api/v1/config} (fields present replace the ones in
 * force; {@code null} removes one). Every joined mesh applies it.
 *
 * @param globalTimeout the deadline of calls, such as {@code 15s}
 * @param defaultRetryAttempts retries after the first attempt, 0..10
 * @param circuitBreakerEnabled false turns per-instance breakers and outlier ejection off
 * @param mtlsMode {@code STRICT}, {@code PERMISSIVE} or {@code DISABLED}
 * @param loadBalancer {@code round_robin}, {@code weighted_round_robin}, {@code random},
 *     {@code least_request} or {@code peak_ewma}
 * @param observability the telemetry switches
 * @param jwt how JWTs are checked, for security rules with {@code required_jwt}
 */
public record FleetConfig(String globalTimeout, Integer defaultRetryAttempts, Boolean circuitBreakerEnabled,
    String mtlsMode, String loadBalancer, ObservabilitySettings observability, JwtSettings jwt) {

  /** The balancers the config may name. */
  public static final String[] BALANCERS = {"round_robin", "weighted_round_robin", "random", "least_request",
      "peak_ewma"};

  /** Nothing set: every mesh keeps its own defaults. */
  public static FleetConfig empty() {
    return new FleetConfig(null, null, null, null, null, null, null);
  }

  /**
   * This config checked.
   *
   * @throws FieldError naming the first bad field
   */
  public FleetConfig checked() {
    if (globalTimeout != null) {
      DurationText.parse("global_timeout", globalTimeout);
    }
    if (defaultRetryAttempts != null) {
      Checks.between("default_retry_attempts", defaultRetryAttempts, 0, 10, null);
    }
    String mode = mtlsMode == null ? null
        : Checks.oneOf("mtls_mode", mtlsMode.toUpperCase(Locale.ROOT), null, SecurityRule.MTLS_MODES);
    String balancer = loadBalancer == null ? null : Checks.oneOf("load_balancer", loadBalancer, null, BALANCERS);
    ObservabilitySettings checkedObservability;
    try {
      checkedObservability = observability == null ? null : observability.checked();
    } catch (FieldError e) {
      throw e.under("observability");
    }
    JwtSettings checkedJwt;
    try {
      checkedJwt = jwt == null ? null : jwt.checked();
    } catch (FieldError e) {
      throw e.under("jwt");
    }
    return new FleetConfig(globalTimeout, defaultRetryAttempts, circuitBreakerEnabled, mode, balancer,
        checkedObservability, checkedJwt);
  }
}
