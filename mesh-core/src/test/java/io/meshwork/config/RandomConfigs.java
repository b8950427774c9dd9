package io.meshwork.config;

import io.meshwork.loadbalancer.LoadBalancerSpec;
import io.meshwork.policy.ConcurrencyLimits;
import io.meshwork.policy.HealthCheckConfig;
import io.meshwork.policy.Protocol;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.policy.StatusSet;
import io.meshwork.resilience.CircuitBreakerConfig;
import io.meshwork.resilience.OutlierDetectionConfig;
import io.meshwork.resilience.RetryBudgetConfig;
import io.meshwork.resilience.RetryOn;
import io.meshwork.resilience.RetryPolicy;
import io.meshwork.security.AuthorizationPolicy;
import io.meshwork.security.AuthorizationRule;
import io.meshwork.security.MtlsMode;
import io.meshwork.security.RuleAction;
import io.meshwork.telemetry.AccessLogConfig;
import io.meshwork.telemetry.TelemetryConfig;
import io.meshwork.traffic.FaultInjection;
import io.meshwork.traffic.HeaderMatch;
import io.meshwork.traffic.HeaderRewrite;
import io.meshwork.traffic.InboundRateLimit;
import io.meshwork.traffic.Mirror;
import io.meshwork.traffic.PathMatch;
import io.meshwork.traffic.QueryMatch;
import io.meshwork.traffic.RateLimit;
import io.meshwork.traffic.RouteDestination;
import io.meshwork.traffic.RouteMatch;
import io.meshwork.traffic.RouteRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random {@link MeshConfig}s over every field, for the round-trip property: each field is either
 * left at its default or drawn over its range, strings include what YAML must quote ("2", "true",
 * "a: b", "# x", unicode, control characters), and the config as a whole is valid (subsets routed
 * to are declared, per-try timeouts fit timeouts).
 */
final class RandomConfigs {

  private static final List<String> REGEXES = List.of("[a-z]+", "/v[0-9]+/.*", "a|b", "(x|y)?z", "\\d{3}", ".*");
  private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH");
  private static final List<String> PRINCIPALS = List.of("*", "spiffe://cluster.local/ns/prod/sa/api",
      "spiffe://cluster.local/ns/prod/*", "*/sa/api", "prod/frontend", "shop/order-service");
  private static final List<String> AUTH_PATHS = List.of("/api/*", "/admin", "/", "/users/*", "/health");

  private final Random random;
  private final RandomText draw;

  RandomConfigs(Random random) {
    this.random = random;
    this.draw = new RandomText(random);
  }

  MeshConfig meshConfig() {
    MeshConfig.Builder config = MeshConfig.builder();
    if (draw.chance()) {
      config.defaultPolicy(policy());
    }
    int services = random.nextInt(4);
    for (int i = 0; i < services; i++) {
      config.service(draw.name(), policy());
    }
    if (draw.chance()) {
      config.authorization(authorization());
    }
    if (draw.chance()) {
      config.authorizationDefault(draw.pick(RuleAction.values()));
    }
    if (draw.chance()) {
      config.inboundRateLimit(new InboundRateLimit(random.nextBoolean() ? rateLimit() : null,
          random.nextBoolean() ? rateLimit() : null, 1 + random.nextInt(100_000)));
    }
    if (draw.chance()) {
      config.mtls(draw.pick(MtlsMode.values()));
    }
    if (draw.chance()) {
      config.telemetry(telemetry());
    }
    return withDeclaredSubsets(config.build());
  }

  TelemetryConfig telemetry() {
    TelemetryConfig.Builder telemetry = TelemetryConfig.builder().metrics(random.nextBoolean())
        .tracing(random.nextBoolean()).maxCallers(1 + random.nextInt(10_000));
    if (draw.chance()) {
      telemetry.accessLog(new AccessLogConfig(draw.pick(AccessLogConfig.Mode.values()), random.nextDouble(),
          draw.pick(AccessLogConfig.Format.values())));
    }
    if (draw.chance()) {
      double[] bounds = new double[1 + random.nextInt(20)];
      double bound = 0;
      for (int i = 0; i < bounds.length; i++) {
        bound += 0.0001 + random.nextDouble();
        bounds[i] = bound;
      }
      telemetry.durationBuckets(bounds);
    }
    return telemetry.build();
  }

  ServicePolicy policy() {
    ServicePolicy.Builder policy = ServicePolicy.builder();
    Duration timeout = draw.chance() ? draw.positiveDuration() : Duration.ofSeconds(15);
    policy.timeout(timeout);
    if (draw.chance()) {
      policy.retry(retry(timeout));
    }
    if (draw.chance()) {
      policy.circuitBreaker(new CircuitBreakerConfig(random.nextInt(50), 0.001 + random.nextDouble() * 0.999,
          draw.positiveDuration(), 1 + random.nextInt(1000), draw.positiveDuration(), 1 + random.nextInt(20)));
    }
    if (draw.chance()) {
      policy.outlierDetection(outlierDetection());
    }
    if (draw.chance()) {
      policy.limits(new ConcurrencyLimits(1 + random.nextInt(100_000), random.nextInt(100_000)));
    }
    if (draw.chance()) {
      policy.loadBalancer(balancer());
    }
    if (draw.chance()) {
      policy.protocol(draw.pick(Protocol.values()));
    }
    if (draw.chance()) {
      policy.connectTimeout(draw.positiveDuration());
    }
    if (draw.chance()) {
      policy.maxResponseBytes(random.nextInt(Integer.MAX_VALUE));
    }
    if (draw.chance()) {
      Duration interval = draw.positiveDuration();
      policy.healthCheck(new HealthCheckConfig(random.nextBoolean(), "/" + draw.text(), interval, random.nextDouble(),
          Duration.ofNanos(1 + (long) (random.nextDouble() * (interval.toNanos() - 1))),
          1 + random.nextInt(10), 1 + random.nextInt(10)));
    }
    if (draw.chance()) {
      policy.failureStatuses(random.nextBoolean() ? StatusSet.parse("5xx,429") : StatusSet.of(
          100 + random.nextInt(500), 100 + random.nextInt(500)));
    }
    if (draw.chance()) {
      policy.transparentGzip(random.nextBoolean());
    }
    if (draw.chance()) {
      int subsets = 1 + random.nextInt(3);
      for (int i = 0; i < subsets; i++) {
        Map<String, String> labels = new LinkedHashMap<>();
        int count = 1 + random.nextInt(3);
        for (int j = 0; j < count; j++) {
          labels.put(random.nextBoolean() ? draw.name() : draw.nonEmpty(), draw.text());
        }
        policy.subset("s" + i, labels);
      }
    }
    if (draw.chance()) {
      int routes = 1 + random.nextInt(3);
      for (int i = 0; i < routes; i++) {
        policy.route(route("route-" + i + (random.nextBoolean() ? "" : " " + draw.nonEmpty())));
      }
    }
    if (draw.chance()) {
      policy.rateLimit(rateLimit());
    }
    return policy.build();
  }

  private RetryPolicy retry(Duration limit) {
    Duration initial = draw.duration();
    Set<RetryOn> retryOn = EnumSet.noneOf(RetryOn.class);
    for (RetryOn outcome : RetryOn.values()) {
      if (random.nextBoolean()) {
        retryOn.add(outcome);
      }
    }
    Set<Integer> statuses = new HashSet<>();
    for (int i = random.nextInt(4); i > 0; i--) {
      statuses.add(100 + random.nextInt(500));
    }
    return new RetryPolicy(1 + random.nextInt(100),
        random.nextBoolean() ? Duration.ZERO : Duration.ofNanos((long) (random.nextDouble() * limit.toNanos())),
        initial, initial.plus(draw.duration()), 1 + random.nextDouble() * 99, random.nextDouble(), retryOn, statuses,
        random.nextBoolean(), new RetryBudgetConfig(random.nextDouble() * 1000, random.nextInt(1000),
            Duration.ofMillis(1000 + random.nextInt(59_001))));
  }

  private OutlierDetectionConfig outlierDetection() {
    Duration base = draw.positiveDuration();
    return new OutlierDetectionConfig(random.nextBoolean(), 1 + random.nextInt(100), base,
        base.plus(draw.duration()), random.nextInt(101), random.nextInt(101), draw.positiveDuration(), random.nextBoolean(),
        1 + random.nextInt(100), 1 + random.nextInt(1000), 0.001 + random.nextDouble() * 99.999,
        random.nextBoolean(), random.nextInt(101), 1 + random.nextInt(100), 1 + random.nextInt(1000));
  }

  private LoadBalancerSpec balancer() {
    return switch (random.nextInt(7)) {
      case 0 -> LoadBalancerSpec.roundRobin();
      case 1 -> LoadBalancerSpec.weightedRoundRobin();
      case 2 -> LoadBalancerSpec.random();
      case 3 -> LoadBalancerSpec.leastRequest();
      case 4 -> LoadBalancerSpec.peakEwma();
      case 5 -> LoadBalancerSpec.peakEwma(draw.positiveDuration());
      default -> LoadBalancerSpec.ringHash(draw.token());
    };
  }

  private RouteRule route(String name) {
    RouteRule.Builder rule = RouteRule.builder(name);
    boolean rewrite = random.nextInt(4) == 0;
    int matches = rewrite ? 1 + random.nextInt(2) : random.nextInt(3);
    for (int i = 0; i < matches; i++) {
      rule.match(match(rewrite));
    }
    int destinations = 1 + random.nextInt(3);
    for (int i = 0; i < destinations; i++) {
      rule.destination(destination().withWeight(i == 0 ? 1 + random.nextInt(1_000_000) : random.nextInt(1_000_001)));
    }
    if (draw.chance()) {
      rule.hashOn(draw.nonEmpty());
    }
    Duration timeout = null;
    if (draw.chance()) {
      timeout = draw.positiveDuration();
      rule.timeout(timeout);
    }
    if (draw.chance()) {
      rule.retry(retry(timeout == null ? Duration.ofDays(1) : timeout));
    }
    if (draw.chance()) {
      rule.requestHeaders(rewriteHeaders());
    }
    if (draw.chance()) {
      rule.responseHeaders(rewriteHeaders());
    }
    if (rewrite) {
      rule.prefixRewrite("/" + draw.text());
    }
    if (draw.chance()) {
      rule.mirror(Mirror.of(destination(), random.nextDouble() * 100));
    }
    if (draw.chance()) {
      double delayPercent = random.nextBoolean() ? 0 : random.nextDouble() * 100;
      Duration delay = delayPercent > 0 || random.nextBoolean() ? draw.positiveDuration() : Duration.ZERO;
      int status = random.nextBoolean() ? 0 : 200 + random.nextInt(400);
      rule.fault(new FaultInjection(delayPercent, delay, random.nextDouble() * 100, status));
    }
    if (draw.chance()) {
      rule.rateLimit(rateLimit());
    }
    return rule.build();
  }

  private RouteMatch match(boolean plainPath) {
    RouteMatch.Builder match = RouteMatch.builder();
    if (plainPath || draw.chance()) {
      int kind = random.nextInt(plainPath ? 2 : 3);
      match.path(kind == 0 ? PathMatch.exact("/" + draw.text()) : kind == 1 ? PathMatch.prefix("/" + draw.text())
          : PathMatch.regex(draw.pick(REGEXES)));
    }
    if (draw.chance()) {
      match.method(random.nextBoolean() ? draw.pick(METHODS) : draw.token());
    }
    Set<String> names = new HashSet<>();
    for (int i = random.nextInt(3); i > 0; i--) {
      String name = draw.token();
      if (names.add(name.toLowerCase())) {
        match.header(switch (random.nextInt(5)) {
          case 0 -> HeaderMatch.exact(name, draw.text());
          case 1 -> HeaderMatch.prefix(name, draw.text());
          case 2 -> HeaderMatch.regex(name, draw.pick(REGEXES));
          case 3 -> HeaderMatch.present(name);
          default -> HeaderMatch.absent(name);
        });
      }
    }
    Set<String> parameters = new HashSet<>();
    for (int i = random.nextInt(3); i > 0; i--) {
      String name = draw.nonEmpty();
      if (parameters.add(name)) {
        match.query(random.nextBoolean() ? QueryMatch.exact(name, draw.text()) : QueryMatch.regex(name, draw.pick(REGEXES)));
      }
    }
    return match.build();
  }

  private HeaderRewrite rewriteHeaders() {
    HeaderRewrite.Builder rewrite = HeaderRewrite.builder();
    Set<String> added = new HashSet<>();
    for (int i = random.nextInt(3); i > 0; i--) {
      rewrite.set(draw.token(), draw.headerValue());
    }
    for (int i = random.nextInt(3); i > 0; i--) {
      String name = draw.token();
      if (added.add(name.toLowerCase())) {
        rewrite.add(name, draw.headerValue());
      }
    }
    Set<String> removed = new HashSet<>();
    for (int i = random.nextInt(3); i > 0; i--) {
      String name = draw.token();
      if (removed.add(name.toLowerCase())) {
        rewrite.remove(name);
      }
    }
    return rewrite.build();
  }

  private AuthorizationPolicy authorization() {
    List<AuthorizationRule> rules = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = random.nextInt(4); i > 0; i--) {
      AuthorizationRule rule = (random.nextBoolean() ? AuthorizationRule.allow(draw.some(PRINCIPALS))
          : AuthorizationRule.deny(draw.some(PRINCIPALS)))
          .fromNamespaces(random.nextBoolean() ? new String[0] : new String[] {draw.name()})
          .toPaths(draw.some(AUTH_PATHS)).withMethods(draw.some(METHODS));
      if (random.nextBoolean()) {
        rule = rule.named("rule " + i + " " + draw.name());
      }
      if (names.add(rule.name())) {
        rules.add(rule);
      }
    }
    return AuthorizationPolicy.of(rules);
  }

  private RouteDestination destination() {
    return new RouteDestination(random.nextInt(3) == 0 ? draw.name() : "svc-" + random.nextInt(3),
        random.nextBoolean() ? null : "s" + random.nextInt(3), random.nextInt(1_000_001));
  }

  private RateLimit rateLimit() {
    return RateLimit.of(random.nextBoolean() ? 1 + random.nextInt(10_000) : 1e-3 + random.nextDouble() * 1e6,
        1 + random.nextInt(100_000));
  }

  /**
   * The config with every route's subset declared where the mesh looks it up (the destination's own
   * policy, or the default policy): a subset that is not is dropped, so the config is valid.
   */
  private static MeshConfig withDeclaredSubsets(MeshConfig config) {
    MeshConfig.Builder fixed = config.toBuilder().defaultPolicy(fixRoutes(config, config.defaultPolicy()));
    config.services().forEach((service, policy) -> fixed.service(service, fixRoutes(config, policy)));
    return fixed.build();
  }

  private static ServicePolicy fixRoutes(MeshConfig config, ServicePolicy policy) {
    List<RouteRule> routes = new ArrayList<>();
    for (RouteRule rule : policy.routes()) {
      // A rule's destinations cannot be replaced through its builder: the rule is made again.
      RouteRule.Builder builder = RouteRule.builder(rule.name());
      rule.matches().forEach(builder::match);
      rule.destinations().forEach(destination -> builder.destination(declared(config, destination)));
      if (rule.hashOn() != null) {
        builder.hashOn(rule.hashOn());
      }
      if (rule.timeout() != null) {
        builder.timeout(rule.timeout());
      }
      if (rule.retry() != null) {
        builder.retry(rule.retry());
      }
      builder.requestHeaders(rule.requestHeaders()).responseHeaders(rule.responseHeaders());
      if (rule.prefixRewrite() != null) {
        builder.prefixRewrite(rule.prefixRewrite());
      }
      if (rule.mirror() != null) {
        builder.mirror(Mirror.of(declared(config, rule.mirror().destination()), rule.mirror().percent()));
      }
      if (rule.fault() != null) {
        builder.fault(rule.fault());
      }
      if (rule.rateLimit() != null) {
        builder.rateLimit(rule.rateLimit());
      }
      routes.add(builder.build());
    }
    return policy.toBuilder().routes(routes).build();
  }

  private static RouteDestination declared(MeshConfig config, RouteDestination destination) {
    if (destination.subset() == null
        || config.policyFor(destination.service()).subsets().containsKey(destination.subset())) {
      return destination;
    }
    return new RouteDestination(destination.service(), null, destination.weight());
  }
}
