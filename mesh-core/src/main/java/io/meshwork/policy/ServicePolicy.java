package io.meshwork.policy;

import io.meshwork.CallDecorator;
import io.meshwork.loadbalancer.LoadBalancer;
import io.meshwork.loadbalancer.LoadBalancerSpec;
import io.meshwork.resilience.CircuitBreakerConfig;
import io.meshwork.resilience.OutlierDetectionConfig;
import io.meshwork.resilience.RetryPolicy;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.traffic.RateLimit;
import io.meshwork.traffic.RouteRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Everything the mesh applies to the calls to one destination service. Immutable; build it with
 * {@link #builder()}. Stateful parts (the balancer, breakers, the retry budget) are created per
 * destination from it, so one policy may serve many destinations.
 *
 * @param timeout the overall deadline of a call, retries and backoff included
 * @param retry when and how calls are retried
 * @param circuitBreaker the breaker of each instance
 * @param outlierDetection when instances are ejected
 * @param limits in-flight and pending limits of the destination
 * @param loadBalancer makes the balancer of a destination; a {@link LoadBalancerSpec} unless code
 *     gave another supplier
 * @param protocol the HTTP version spoken to the destination
 * @param connectTimeout the limit of opening one connection
 * @param maxResponseBytes the largest response body accepted
 * @param healthCheck active health checking of the destination's instances; off by default
 * @param failureStatuses the response statuses that count as failures of the instance (for its
 *     breaker, outlier detection and the balancer); 5xx by default. The response itself is still
 *     returned to the caller as it is.
 * @param decorators the application's own decorators of calls to the destination, outermost first,
 *     applied inside the mesh-wide ones
 * @param transparentGzip whether the mesh asks for gzip and decodes it when the caller has not set
 *     {@code accept-encoding} itself (as OkHttp); off by default
 * @param subsets the named subsets of this service's instances, each a label selector such as
 *     {@code v2: {version: v2}}, that routes send calls to
 * @param routes the route rules of calls to this service, tried in order; none by default
 * @param rateLimit a client-side rate limit of all calls to this service, or null for none
 */
public record ServicePolicy(
    Duration timeout,
    RetryPolicy retry,
    CircuitBreakerConfig circuitBreaker,
    OutlierDetectionConfig outlierDetection,
    ConcurrencyLimits limits,
    Supplier<LoadBalancer> loadBalancer,
    Protocol protocol,
    Duration connectTimeout,
    int maxResponseBytes,
    HealthCheckConfig healthCheck,
    StatusSet failureStatuses,
    List<CallDecorator> decorators,
    boolean transparentGzip,
    Map<String, Map<String, String>> subsets,
    List<RouteRule> routes,
    RateLimit rateLimit) {

  /** Validates every field. */
  public ServicePolicy {
    positive("timeout", timeout);
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(circuitBreaker, "circuitBreaker");
    Objects.requireNonNull(outlierDetection, "outlierDetection");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(loadBalancer, "loadBalancer");
    Objects.requireNonNull(protocol, "protocol");
    positive("connectTimeout", connectTimeout);
    if (maxResponseBytes < 0) {
      throw new IllegalArgumentException("maxResponseBytes: " + maxResponseBytes + " (expected: >= 0)");
    }
    Objects.requireNonNull(healthCheck, "healthCheck");
    Objects.requireNonNull(failureStatuses, "failureStatuses");
    decorators = List.copyOf(decorators);
    subsets = checkSubsets(subsets);
    routes = List.copyOf(routes);
    Set<String> names = new HashSet<>();
    for (RouteRule route : routes) {
      if (!names.add(route.name())) {
        throw new IllegalArgumentException("routes: two rules are named '" + route.name()
            + "' (expected: unique names)");
      }
    }
    Duration perTry = retry.perTryTimeout();
    if (perTry.compareTo(timeout) > 0) {
      throw new IllegalArgumentException("retry.perTryTimeout: " + perTry.toMillis()
          + " ms (expected: <= timeout " + timeout.toMillis() + " ms, or 0 for none: an attempt can never"
          + " outlast the call)");
    }
  }

  private static Map<String, Map<String, String>> checkSubsets(Map<String, Map<String, String>> subsets) {
    Map<String, Map<String, String>> copy = new LinkedHashMap<>();
    subsets.forEach((name, selector) -> {
      ServiceInstance.checkName("subsets", name);
      if (selector == null || selector.isEmpty()) {
        throw new IllegalArgumentException("subsets." + name + ": " + selector
            + " (expected: at least one label, such as {version: v2})");
      }
      selector.forEach((key, value) -> {
        if (key == null || key.isEmpty() || value == null) {
          throw new IllegalArgumentException("subsets." + name + ": label '" + key + "'='" + value
              + "' (expected: a non-empty key and a value)");
        }
      });
      copy.put(name, Map.copyOf(selector));
    });
    return Collections.unmodifiableMap(copy);
  }

  /** The defaults: 15 s deadline, default retries, breaker and outlier detection, peak-EWMA, HTTP/1.1. */
  public static ServicePolicy defaults() {
    return builder().build();
  }

  /** A builder that starts from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this policy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.timeout = timeout;
    b.retry = retry;
    b.circuitBreaker = circuitBreaker;
    b.outlierDetection = outlierDetection;
    b.limits = limits;
    b.loadBalancer = loadBalancer;
    b.protocol = protocol;
    b.connectTimeout = connectTimeout;
    b.maxResponseBytes = maxResponseBytes;
    b.healthCheck = healthCheck;
    b.failureStatuses = failureStatuses;
    b.decorators = new ArrayList<>(decorators);
    b.transparentGzip = transparentGzip;
    b.subsets = new LinkedHashMap<>(subsets);
    b.routes = new ArrayList<>(routes);
    b.rateLimit = rateLimit;
    return b;
  }

  private static Duration positive(String field, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(field + ": " + value + " (expected: > 0)");
    }
    return value;
  }

  /** Builds a {@link ServicePolicy}; each setter checks its value at once. */
  public static final class Builder {
    private Duration timeout = Duration.ofSeconds(15);
    private RetryPolicy retry = RetryPolicy.defaults();
    private CircuitBreakerConfig circuitBreaker = CircuitBreakerConfig.defaults();
    private OutlierDetectionConfig outlierDetection = OutlierDetectionConfig.defaults();
    private ConcurrencyLimits limits = ConcurrencyLimits.defaults();
    private Supplier<LoadBalancer> loadBalancer = LoadBalancerSpec.peakEwma();
    private Protocol protocol = Protocol.HTTP_1_1;
    private Duration connectTimeout = Duration.ofSeconds(2);
    private int maxResponseBytes = 10 * 1024 * 1024;
    private HealthCheckConfig healthCheck = HealthCheckConfig.disabled();
    private StatusSet failureStatuses = StatusSet.serverErrors();
    private List<CallDecorator> decorators = new ArrayList<>();
    private boolean transparentGzip;
    private Map<String, Map<String, String>> subsets = new LinkedHashMap<>();
    private List<RouteRule> routes = new ArrayList<>();
    private RateLimit rateLimit;

    private Builder() {}

    /** The overall deadline of a call. */
    public Builder timeout(Duration value) {
      this.timeout = positive("timeout", value);
      return this;
    }

    /** The retry policy. */
    public Builder retry(RetryPolicy value) {
      this.retry = Objects.requireNonNull(value, "retry");
      return this;
    }

    /** The breaker of each instance. */
    public Builder circuitBreaker(CircuitBreakerConfig value) {
      this.circuitBreaker = Objects.requireNonNull(value, "circuitBreaker");
      return this;
    }

    /** When instances are ejected. */
    public Builder outlierDetection(OutlierDetectionConfig value) {
      this.outlierDetection = Objects.requireNonNull(value, "outlierDetection");
      return this;
    }

    /** In-flight and pending limits. */
    public Builder limits(ConcurrencyLimits value) {
      this.limits = Objects.requireNonNull(value, "limits");
      return this;
    }

    /**
     * Makes the balancer of each destination: a {@link LoadBalancerSpec} such as
     * {@code LoadBalancerSpec.roundRobin()} (comparable, and written to {@code mesh.yaml} as it is),
     * or any supplier such as {@code LoadBalancer::roundRobin} (a config holding one cannot be
     * written to YAML). {@link LoadBalancerSpec#peakEwma()} unless set.
     */
    public Builder loadBalancer(Supplier<LoadBalancer> value) {
      this.loadBalancer = Objects.requireNonNull(value, "loadBalancer");
      return this;
    }

    /** The HTTP version. */
    public Builder protocol(Protocol value) {
      this.protocol = Objects.requireNonNull(value, "protocol");
      return this;
    }

    /** The limit of opening one connection. */
    public Builder connectTimeout(Duration value) {
      this.connectTimeout = positive("connectTimeout", value);
      return this;
    }

    /** The largest response body accepted, in bytes. */
    public Builder maxResponseBytes(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("maxResponseBytes: " + value + " (expected: >= 0)");
      }
      this.maxResponseBytes = value;
      return this;
    }

    /** Active health checking; {@link HealthCheckConfig#disabled()} unless set. */
    public Builder healthCheck(HealthCheckConfig value) {
      this.healthCheck = Objects.requireNonNull(value, "healthCheck");
      return this;
    }

    /**
     * The response statuses that count as failures of the instance (its breaker, outlier detection,
     * the balancer); {@link StatusSet#serverErrors()} unless set. Connect failures, resets and
     * timeouts always count. Use {@code StatusSet.of(502, 503, 504)} to count only gateway errors.
     */
    public Builder failureStatuses(StatusSet value) {
      this.failureStatuses = Objects.requireNonNull(value, "failureStatuses");
      return this;
    }

    /** Adds a decorator of calls to the destination, inside those added before it. */
    public Builder decorator(CallDecorator value) {
      decorators.add(Objects.requireNonNull(value, "decorator"));
      return this;
    }

    /** Whether the mesh asks for gzip and decodes it for callers that did not ask themselves. */
    public Builder transparentGzip(boolean value) {
      this.transparentGzip = value;
      return this;
    }

    /** Declares subset {@code name} of this service: the instances whose labels hold all of {@code labels}. */
    public Builder subset(String name, Map<String, String> labels) {
      subsets.put(ServiceInstance.checkName("subsets", name), Objects.requireNonNull(labels, "labels"));
      return this;
    }

    /** Adds a route rule, tried after those added before it. */
    public Builder route(RouteRule value) {
      routes.add(Objects.requireNonNull(value, "route"));
      return this;
    }

    /** Replaces the route rules. */
    public Builder routes(List<RouteRule> value) {
      this.routes = new ArrayList<>(value);
      return this;
    }

    /** A client-side rate limit of all calls to this service. */
    public Builder rateLimit(RateLimit value) {
      this.rateLimit = Objects.requireNonNull(value, "rateLimit");
      return this;
    }

    /**
     * The policy. Fails with {@link IllegalArgumentException} when the retry policy's per-try
     * timeout is longer than the timeout, or two routes share a name.
     */
    public ServicePolicy build() {
      return new ServicePolicy(timeout, retry, circuitBreaker, outlierDetection, limits, loadBalancer,
          protocol, connectTimeout, maxResponseBytes, healthCheck, failureStatuses, decorators,
          transparentGzip, subsets, routes, rateLimit);
    }
  }
}
