package io.meshwork.config;

import io.meshwork.loadbalancer.LoadBalancerSpec;
import io.meshwork.policy.ConcurrencyLimits;
import io.meshwork.policy.HealthCheckConfig;
import io.meshwork.resilience.CircuitBreakerConfig;
import io.meshwork.resilience.OutlierDetectionConfig;
import io.meshwork.resilience.RetryBudgetConfig;
import io.meshwork.resilience.RetryOn;
import io.meshwork.resilience.RetryPolicy;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of {@code mesh.yaml}'s description that is the policy of a destination: timeouts, retries,
 * breakers, outlier detection, limits, balancer, health checks. Every record is made by the model's
 * own constructor; the defaults are the model's.
 */
final class PolicyYaml {

  static final ObjectCodec<RetryBudgetConfig> RETRY_BUDGET = ObjectCodec.<RetryBudgetConfig>builder(
          "RetryBudget", "How many retries a destination may make: ratio retries per call, plus a"
              + " reserve per second, as Finagle and Linkerd.")
      .defaults(RetryBudgetConfig.defaults())
      .field("ratio", new NumberCodec(0, false, 1000), RetryBudgetConfig::ratio,
          "Retries allowed per call (0.2 lets one call in five retry).")
      .field("minRetriesPerSecond", Scalars.NON_NEGATIVE, RetryBudgetConfig::minRetriesPerSecond,
          "Retries always allowed per second, whatever the ratio.")
      .field("ttl", Scalars.POSITIVE_DURATION, RetryBudgetConfig::ttl,
          "How long a call's deposit counts, 1s..60s.")
      .build(v -> new RetryBudgetConfig(v.get("ratio"), v.get("minRetriesPerSecond"), v.get("ttl")));

  static final ObjectCodec<RetryPolicy> RETRY = ObjectCodec.<RetryPolicy>builder("RetryPolicy",
          "When and how a call is tried again. Fields left out take the defaults of RetryPolicy, not"
              + " those of another policy.")
      .defaults(RetryPolicy.defaults())
      .field("maxAttempts", new IntegerCodec(1, 100), RetryPolicy::maxAttempts,
          "Attempts in all, the first included; 1 means no retry.")
      .field("perTryTimeout", Scalars.DURATION, RetryPolicy::perTryTimeout,
          "The limit of one attempt; 0s for none (the call's timeout still applies).")
      .field("initialBackoff", Scalars.DURATION, RetryPolicy::initialBackoff,
          "The wait before the first retry, before jitter.")
      .field("maxBackoff", Scalars.DURATION, RetryPolicy::maxBackoff,
          "The longest wait between attempts; >= initialBackoff.")
      .field("backoffMultiplier", new NumberCodec(1, false, 100), RetryPolicy::backoffMultiplier,
          "How much the wait grows per retry.")
      .field("jitter", new NumberCodec(0, false, 1), RetryPolicy::jitter,
          "The random share taken off each wait (1 = full jitter).")
      .field("retryOn", ListCodec.of(KeywordCodec.forEnum(RetryOn.class)).uniqueValues()
              .map(PolicyYaml::retryOnSet, set -> set.stream().sorted().toList()), RetryPolicy::retryOn,
          "The outcomes retried: CONNECT_FAILURE (never sent), RESET, SERVER_ERROR (5xx), TIMEOUT"
              + " (per try).")
      .field("retryableStatuses", ListCodec.of(new IntegerCodec(100, 599)).uniqueValues()
              .map(Set::copyOf, set -> set.stream().sorted().toList()), RetryPolicy::retryableStatuses,
          "Further response statuses retried, such as 429.")
      .field("retryNonIdempotent", Scalars.BOOLEAN, RetryPolicy::retryNonIdempotent,
          "Whether a request that is not idempotent (POST, PATCH) is retried after it may have been"
              + " processed; one never sent is always retried.")
      .field("budget", RETRY_BUDGET, RetryPolicy::budget, "The retry budget shared by the calls of the"
          + " destination.")
      .build(v -> new RetryPolicy(v.get("maxAttempts"), v.get("perTryTimeout"), v.get("initialBackoff"),
          v.get("maxBackoff"), v.get("backoffMultiplier"), v.get("jitter"), v.get("retryOn"),
          v.get("retryableStatuses"), v.get("retryNonIdempotent"), v.get("budget")));

  static final ObjectCodec<CircuitBreakerConfig> CIRCUIT_BREAKER = ObjectCodec.<CircuitBreakerConfig>builder(
          "CircuitBreaker", "When the breaker of each instance opens, and how it recovers.")
      .defaults(CircuitBreakerConfig.defaults())
      .field("consecutiveFailures", Scalars.NON_NEGATIVE, CircuitBreakerConfig::consecutiveFailures,
          "Failures in a row that open the circuit; 0 turns this trigger off.")
      .field("failureRateThreshold", new NumberCodec(0, true, 1), CircuitBreakerConfig::failureRateThreshold,
          "The failure ratio over the window that opens the circuit.")
      .field("slidingWindow", Scalars.POSITIVE_DURATION, CircuitBreakerConfig::slidingWindow,
          "The window the failure ratio is computed over.")
      .field("minimumRequests", Scalars.POSITIVE, CircuitBreakerConfig::minimumRequests,
          "Calls the window must hold before its ratio counts.")
      .field("openDuration", Scalars.POSITIVE_DURATION, CircuitBreakerConfig::openDuration,
          "How long the circuit stays open before probing.")
      .field("halfOpenProbes", Scalars.POSITIVE, CircuitBreakerConfig::halfOpenProbes,
          "Probe calls allowed at once when half-open; that many successes close it.")
      .build(v -> new CircuitBreakerConfig(v.get("consecutiveFailures"), v.get("failureRateThreshold"),
          v.get("slidingWindow"), v.get("minimumRequests"), v.get("openDuration"), v.get("halfOpenProbes")));

  static final ObjectCodec<OutlierDetectionConfig> OUTLIER_DETECTION = outlierDetection();

  static final ObjectCodec<ConcurrencyLimits> LIMITS = ObjectCodec.<ConcurrencyLimits>builder(
          "Limits", "Concurrent work allowed towards the destination; past both, a call fails at once.")
      .defaults(ConcurrencyLimits.defaults())
      .field("maxInFlight", Scalars.POSITIVE, ConcurrencyLimits::maxInFlight, "Attempts on the wire at once.")
      .field("maxPending", Scalars.NON_NEGATIVE, ConcurrencyLimits::maxPending,
          "Attempts waiting for an in-flight slot.")
      .build(v -> new ConcurrencyLimits(v.get("maxInFlight"), v.get("maxPending")));

  static final ObjectCodec<HealthCheckConfig> HEALTH_CHECK = ObjectCodec.<HealthCheckConfig>builder(
          "HealthCheck", "Active health checks: GET path on each instance at the interval; thresholds"
              + " of failures and successes in a row mark it unhealthy and healthy in the registry. Off"
              + " unless set; a healthCheck that is set is enabled unless it says enabled: false.")
      .defaults(HealthCheckConfig.of("/health"))
      .field("enabled", Scalars.BOOLEAN, HealthCheckConfig::enabled, "Whether checks run.")
      .field("path", Scalars.TEXT, HealthCheckConfig::path, "The path to GET; starts with '/'.")
      .field("interval", Scalars.POSITIVE_DURATION, HealthCheckConfig::interval,
          "The time between two checks of one instance.")
      .field("jitter", new NumberCodec(0, false, 1), HealthCheckConfig::jitter,
          "The random share added to or taken off each interval.")
      .field("timeout", Scalars.POSITIVE_DURATION, HealthCheckConfig::timeout,
          "The limit of one check; <= interval.")
      .field("healthyThreshold", Scalars.POSITIVE, HealthCheckConfig::healthyThreshold,
          "Successes in a row that mark an instance healthy.")
      .field("unhealthyThreshold", Scalars.POSITIVE, HealthCheckConfig::unhealthyThreshold,
          "Failures in a row that mark an instance unhealthy.")
      .build(v -> new HealthCheckConfig(v.get("enabled"), v.get("path"), v.get("interval"), v.get("jitter"),
          v.get("timeout"), v.get("healthyThreshold"), v.get("unhealthyThreshold")));

  static final ChoiceCodec<LoadBalancerSpec> LOAD_BALANCER = loadBalancer();

  private PolicyYaml() {}

  private static Set<RetryOn> retryOnSet(List<RetryOn> list) {
    return list.isEmpty() ? EnumSet.noneOf(RetryOn.class) : EnumSet.copyOf(list);
  }

  private static ObjectCodec<OutlierDetectionConfig> outlierDetection() {
    Codec<Integer> percent = new IntegerCodec(0, 100);
    return ObjectCodec.<OutlierDetectionConfig>builder("OutlierDetection", "When instances are ejected,"
            + " as Envoy's outlier detection: consecutive failures, success rate, failure percentage.")
        .defaults(OutlierDetectionConfig.defaults())
        .field("enabled", Scalars.BOOLEAN, OutlierDetectionConfig::enabled, "Whether instances are ejected at all.")
        .field("consecutiveFailures", Scalars.POSITIVE, OutlierDetectionConfig::consecutiveFailures,
            "Failures in a row (5xx, connect failures, resets, timeouts) that eject.")
        .field("baseEjectionTime", Scalars.POSITIVE_DURATION, OutlierDetectionConfig::baseEjectionTime,
            "The first ejection's length; ejection n lasts n times it.")
        .field("maxEjectionTime", Scalars.POSITIVE_DURATION, OutlierDetectionConfig::maxEjectionTime,
            "The longest ejection; >= baseEjectionTime.")
        .field("maxEjectionPercent", percent, OutlierDetectionConfig::maxEjectionPercent,
            "The share of instances ejected at once (at least one always may be).")
        .field("panicThresholdPercent", percent, OutlierDetectionConfig::panicThresholdPercent,
            "Below this share of available instances, ejections and open circuits are ignored.")
        .field("interval", Scalars.POSITIVE_DURATION, OutlierDetectionConfig::interval,
            "How often success rates and failure percentages are evaluated.")
        .field("successRateEjection", Scalars.BOOLEAN, OutlierDetectionConfig::successRateEjection,
            "Whether an instance whose success rate is below mean - factor x stdev is ejected.")
        .field("successRateMinimumHosts", Scalars.POSITIVE, OutlierDetectionConfig::successRateMinimumHosts,
            "Instances with enough calls needed before success rates count.")
        .field("successRateRequestVolume", Scalars.POSITIVE, OutlierDetectionConfig::successRateRequestVolume,
            "Calls an instance needs in the interval to count.")
        .field("successRateStdevFactor", new NumberCodec(0.001, false, 100),
            OutlierDetectionConfig::successRateStdevFactor, "Standard deviations below the mean that eject.")
        .field("failurePercentageEjection", Scalars.BOOLEAN, OutlierDetectionConfig::failurePercentageEjection,
            "Whether an instance whose failures reach the threshold is ejected.")
        .field("failurePercentageThreshold", percent, OutlierDetectionConfig::failurePercentageThreshold,
            "The failure percentage that ejects.")
        .field("failurePercentageMinimumHosts", Scalars.POSITIVE,
            OutlierDetectionConfig::failurePercentageMinimumHosts,
            "Instances with enough calls needed before percentages count.")
        .field("failurePercentageRequestVolume", Scalars.POSITIVE,
            OutlierDetectionConfig::failurePercentageRequestVolume, "Calls an instance needs in the interval to count.")
        .build(v -> new OutlierDetectionConfig(v.get("enabled"), v.get("consecutiveFailures"),
            v.get("baseEjectionTime"), v.get("maxEjectionTime"), v.get("maxEjectionPercent"),
            v.get("panicThresholdPercent"), v.get("interval"), v.get("successRateEjection"),
            v.get("successRateMinimumHosts"), v.get("successRateRequestVolume"), v.get("successRateStdevFactor"),
            v.get("failurePercentageEjection"), v.get("failurePercentageThreshold"),
            v.get("failurePercentageMinimumHosts"), v.get("failurePercentageRequestVolume")));
  }

  private static ChoiceCodec<LoadBalancerSpec> loadBalancer() {
    Duration defaultDecay = LoadBalancerSpec.peakEwma().decay();
    ObjectCodec<LoadBalancerSpec> peakEwma = ObjectCodec.<LoadBalancerSpec>builder("PeakEwma",
            "Peak-EWMA with its decay.")
        .fieldWithDefault("decay", Scalars.POSITIVE_DURATION, LoadBalancerSpec::decay, defaultDecay,
            "How fast a slow sample is forgotten.")
        .build(v -> LoadBalancerSpec.peakEwma(v.get("decay")));
    ObjectCodec<LoadBalancerSpec> ringHash = ObjectCodec.<LoadBalancerSpec>builder("RingHash",
            "Consistent hashing on a request header.")
        .required("header", Scalars.HEADER_NAME, LoadBalancerSpec::header,
            "The request header whose value picks the instance (a call's hashKey wins).")
        .build(v -> LoadBalancerSpec.ringHash(v.get("header")));
    Map<String, LoadBalancerSpec> plain = new LinkedHashMap<>();
    for (LoadBalancerSpec spec : List.of(LoadBalancerSpec.peakEwma(), LoadBalancerSpec.roundRobin(),
        LoadBalancerSpec.weightedRoundRobin(), LoadBalancerSpec.random(), LoadBalancerSpec.leastRequest())) {
      plain.put(spec.kind().id(), spec);
    }
    return ChoiceCodec.<LoadBalancerSpec>of("LoadBalancer", "How a destination's balancer picks an"
            + " instance: a name, or a mapping of ringHash or peakEwma to its parameters.")
        .orScalar(new KeywordCodec(List.copyOf(plain.keySet())), plain::get,
            spec -> plain.containsValue(spec) ? spec.kind().id() : null,
            "peakEwma (default; 10s decay), roundRobin, weightedRoundRobin, random or leastRequest"
                + " (two random choices).")
        .or("peakEwma", peakEwma, spec -> spec,
            spec -> spec.kind() == LoadBalancerSpec.Kind.PEAK_EWMA ? spec : null, "Peak-EWMA with its decay.")
        .or("ringHash", ringHash, spec -> spec,
            spec -> spec.kind() == LoadBalancerSpec.Kind.RING_HASH ? spec : null,
            "Consistent hashing on a request header.");
  }
}
