package io.meshwork.fleet;

import io.meshwork.config.MeshConfig;
import io.meshwork.fleet.api.DurationText;
import io.meshwork.fleet.api.FleetConfig;
import io.meshwork.fleet.api.ObservabilitySettings;
import io.meshwork.fleet.api.SecurityRule;
import io.meshwork.fleet.api.TrafficRule;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.resilience.CircuitBreakerConfig;
import io.meshwork.resilience.OutlierDetectionConfig;
import io.meshwork.resilience.RetryPolicy;
import io.meshwork.security.MtlsMode;
import io.meshwork.telemetry.AccessLogConfig;
import io.meshwork.telemetry.TelemetryConfig;
import java.time.Duration;
import java.util.List;

/**
 * The one translation of the control plane's state into a {@link MeshConfig}: joined meshes run it on
 * what they watch, and the control plane runs it to check a change before it accepts it and to export
 * Envoy and NGINX configs, so all of them see the same policy.
 *
 * <ul>
 *   <li>{@code global_timeout}, {@code default_retry_attempts}, {@code circuit_breaker_enabled} and
 *       {@code load_balancer} change the default policy (destinations without a policy of their own);
 *   <li>traffic rules give their services routes (and their destinations the subsets they name), see
 *       {@link FleetRoutes};
 *   <li>security rules naming this workload as destination become allow rules, see {@link FleetAuthorization};
 *   <li>{@code mtls_mode} (a rule's for this workload first, else the config's) becomes the config's mode;
 *   <li>{@code observability.tracing_enabled} and {@code observability.access_log_enabled} switch the
 *       mesh's tracing and access log (every exchange when on); {@code metrics_enabled} cannot change a
 *       running mesh (its metrics' shape is fixed at build), so the mesh's own setting stays.
 * </ul>
 */
public final class FleetPolicy {

  private FleetPolicy() {}

  /**
   * {@code base} (the mesh's own config from code) changed by the fleet's state, for the workload
   * {@code namespace/service}.
   *
   * @throws IllegalArgumentException when the state makes an invalid policy
   */
  public static MeshConfig overlay(MeshConfig base, FleetConfig config, List<TrafficRule> traffic,
      List<SecurityRule> security, String namespace, String service) {
    FleetConfig fleet = config == null ? FleetConfig.empty() : config;
    MeshConfig.Builder result = base.toBuilder().defaultPolicy(defaultPolicy(base.defaultPolicy(), fleet));
    MeshConfig withDefault = result.build();
    FleetRoutes.apply(withDefault, traffic).forEach(result::service);
    result.authorization(FleetAuthorization.authorization(base.authorization(), security, namespace, service));
    MtlsMode mode = FleetAuthorization.mtlsMode(fleet, security, namespace, service);
    if (mode != null) {
      result.mtls(mode);
    }
    result.telemetry(telemetry(base.telemetry(), fleet.observability()));
    return result.build();
  }

  /** {@code base} (null: the defaults) with the fleet's tracing and access log switches. */
  static TelemetryConfig telemetry(TelemetryConfig base, ObservabilitySettings observability) {
    TelemetryConfig current = base != null ? base : TelemetryConfig.defaults();
    if (observability == null) {
      return base;
    }
    TelemetryConfig.Builder telemetry = current.toBuilder();
    if (observability.tracingEnabled() != null) {
      telemetry.tracing(observability.tracingEnabled());
    }
    if (observability.accessLogEnabled() != null) {
      AccessLogConfig log = current.accessLog();
      telemetry.accessLog(observability.accessLogEnabled()
          ? new AccessLogConfig(AccessLogConfig.Mode.ALL, 1, log.format()) : AccessLogConfig.off());
    }
    return telemetry.build();
  }

  /** {@code base} with the fleet config's timeout, retries, breaker switch and balancer. */
  public static ServicePolicy defaultPolicy(ServicePolicy base, FleetConfig config) {
    ServicePolicy.Builder policy = base.toBuilder();
    Duration timeout = base.timeout();
    if (config.globalTimeout() != null) {
      timeout = DurationText.parse("global_timeout", config.globalTimeout());
      policy.timeout(timeout);
    }
    RetryPolicy retry = base.retry();
    if (config.defaultRetryAttempts() != null) {
      retry = withAttempts(retry, config.defaultRetryAttempts() + 1);
    }
    policy.retry(withinTimeout(retry, timeout));
    if (Boolean.FALSE.equals(config.circuitBreakerEnabled())) {
      CircuitBreakerConfig breaker = base.circuitBreaker();
      // A breaker that nothing can open: no consecutive trigger, and a failure rate that never gets enough calls.
      policy.circuitBreaker(new CircuitBreakerConfig(0, 1.0, breaker.slidingWindow(), Integer.MAX_VALUE,
          breaker.openDuration(), breaker.halfOpenProbes()));
      policy.outlierDetection(OutlierDetectionConfig.disabled());
    }
    if (config.loadBalancer() != null) {
      policy.loadBalancer(Balancers.named(config.loadBalancer()));
    }
    return policy.build();
  }

  /** {@code retry} with {@code attempts} attempts in all. */
  static RetryPolicy withAttempts(RetryPolicy retry, int attempts) {
    return new RetryPolicy(attempts, retry.perTryTimeout(), retry.initialBackoff(), retry.maxBackoff(),
        retry.backoffMultiplier(), retry.jitter(), retry.retryOn(), retry.retryableStatuses(),
        retry.retryNonIdempotent(), retry.budget());
  }

  /** {@code retry} with a per-try timeout no longer than {@code timeout}, as a policy requires. */
  static RetryPolicy withinTimeout(RetryPolicy retry, Duration timeout) {
    if (retry.perTryTimeout().compareTo(timeout) <= 0) {
      return retry;
    }
    return new RetryPolicy(retry.maxAttempts(), timeout, retry.initialBackoff(), retry.maxBackoff(),
        retry.backoffMultiplier(), retry.jitter(), retry.retryOn(), retry.retryableStatuses(),
        retry.retryNonIdempotent(), retry.budget());
  }
}
