package io.meshwork.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.config.MeshConfig;
import io.meshwork.fleet.api.CircuitBreakerSettings;
import io.meshwork.fleet.api.FleetConfig;
import io.meshwork.fleet.api.SecurityRule;
import io.meshwork.fleet.api.TrafficRule;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.security.AuthorizationPolicy;
import io.meshwork.security.AuthorizationRule;
import io.meshwork.security.MtlsMode;
import io.meshwork.telemetry.AccessLogConfig;
import io.meshwork.telemetry.TelemetryConfig;
import io.meshwork.fleet.api.ObservabilitySettings;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.traffic.HeaderMatch;
import io.meshwork.traffic.PathMatch;
import io.meshwork.traffic.RouteDestination;
import io.meshwork.traffic.RouteRule;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The control plane's state as the MeshConfig every joined mesh applies. */
class FleetPolicyTest {

  private static TrafficRule rule(String id, Map<String, String> headers, String subset, int weight) {
    return new TrafficRule(null, null, null, headers, null, null, null, subset, weight, null, null, null)
        .checked(id, "default", "user-service");
  }

  @Test
  void theSeedsBetaRuleRoutesOnTheHeaderToSubsetV2LabelledByVersion() {
    TrafficRule beta = new TrafficRule(null, null, null, Map.of("version", "beta"), "/users", "GET", null, "v2", null,
        "2s", 1, null).checked("r1", "default", "user-service");
    MeshConfig config = FleetPolicy.overlay(MeshConfig.defaults(), FleetConfig.empty(), List.of(beta), List.of(),
        "default", "frontend");
    ServicePolicy users = config.policyFor("user-service");
    assertThat(users.subsets()).containsEntry("v2", Map.of("version", "v2"));
    RouteRule route = users.routes().get(0);
    assertThat(route.name()).isEqualTo("rule-r1");
    assertThat(route.matches().get(0).headers()).containsExactly(HeaderMatch.exact("version", "beta"));
    assertThat(route.matches().get(0).path()).isEqualTo(PathMatch.prefix("/users"));
    assertThat(route.matches().get(0).method()).isEqualTo("GET");
    assertThat(route.destinations()).containsExactly(RouteDestination.of("user-service", "v2").withWeight(100));
    assertThat(route.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(route.retry().maxAttempts()).isEqualTo(2);
  }

  @Test
  void rulesWithTheSameMatchSplitByWeightAndOthersFollowInOrder() {
    TrafficRule ninety = rule("a", Map.of(), "v1", 90);
    TrafficRule ten = rule("b", Map.of(), "v2", 10);
    TrafficRule beta = rule("c", Map.of("version", "beta"), "v2", 100);
    ServicePolicy users = FleetPolicy.overlay(MeshConfig.defaults(), FleetConfig.empty(), List.of(beta, ninety, ten),
        List.of(), "default", "frontend").policyFor("user-service");
    assertThat(users.routes()).extracting(RouteRule::name).containsExactly("rule-c", "rule-a");
    assertThat(users.routes().get(1).destinations()).containsExactly(
        RouteDestination.of("user-service", "v1").withWeight(90), RouteDestination.of("user-service", "v2").withWeight(10));
  }

  @Test
  void theFleetConfigChangesTheDefaultPolicyAndBreakerSettingsTheService() {
    FleetConfig config = new FleetConfig("3s", 4, false, "PERMISSIVE", "round_robin", null, null).checked();
    TrafficRule limited = new TrafficRule(null, null, null, null, null, null, null, null, null, null, null,
        new CircuitBreakerSettings(50, 5, 2, "7s")).checked("r", "default", "user-service");
    MeshConfig mesh = FleetPolicy.overlay(MeshConfig.defaults(), config, List.of(limited), List.of(), "default", "x");
    ServicePolicy defaults = mesh.defaultPolicy();
    assertThat(defaults.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(defaults.retry().maxAttempts()).isEqualTo(5);
    assertThat(defaults.outlierDetection().enabled()).isFalse();
    assertThat(defaults.circuitBreaker().consecutiveFailures()).isZero();
    assertThat(Balancers.nameOf(defaults.loadBalancer())).isEqualTo("round_robin");
    assertThat(mesh.mtls()).isEqualTo(MtlsMode.PERMISSIVE);
    ServicePolicy users = mesh.policyFor("user-service");
    assertThat(users.limits().maxInFlight()).isEqualTo(50);
    assertThat(users.limits().maxPending()).isEqualTo(5);
    assertThat(users.circuitBreaker().consecutiveFailures()).isEqualTo(2);
    assertThat(users.circuitBreaker().openDuration()).isEqualTo(Duration.ofSeconds(7));
    assertThat(users.timeout()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void aConfigFromTheFleetCanBeWrittenAsYamlWithTheBalancerItNames() {
    FleetConfig config = new FleetConfig(null, null, null, null, "least_request", null, null).checked();
    TrafficRule limited = new TrafficRule(null, null, null, null, null, null, null, null, null, null, null,
        new CircuitBreakerSettings(null, null, 3, null)).checked("r", "default", "user-service");
    MeshConfig mesh = FleetPolicy.overlay(MeshConfig.defaults(), config, List.of(limited), List.of(), "default", "x");
    String yaml = mesh.toYaml(); // what a joined mesh's admin endpoint shows as its config in force
    assertThat(yaml).contains("loadBalancer: leastRequest");
    assertThat(MeshConfig.parseYaml(yaml)).isEqualTo(mesh);
  }

  @Test
  void theObservabilitySwitchesTurnTracingAndTheAccessLogAndLeaveTheMetricsAsBuilt() {
    MeshConfig base = MeshConfig.builder().telemetry(TelemetryConfig.builder().tracing(false)
        .accessLog(AccessLogConfig.errorsOnly().json()).build()).build();
    FleetConfig on = new FleetConfig(null, null, null, null, null,
        new ObservabilitySettings(true, false, true, 0.5), null).checked();
    TelemetryConfig telemetry = FleetPolicy.overlay(base, on, List.of(), List.of(), "default", "x").telemetry();
    assertThat(telemetry.tracing()).isTrue();
    assertThat(telemetry.accessLog()).isEqualTo(new AccessLogConfig(AccessLogConfig.Mode.ALL, 1,
        AccessLogConfig.Format.JSON));
    assertThat(telemetry.metrics()).as("a running mesh's metrics are fixed at build").isTrue();
    FleetConfig off = new FleetConfig(null, null, null, null, null,
        new ObservabilitySettings(null, null, false, null), null).checked();
    TelemetryConfig quiet = FleetPolicy.overlay(base, off, List.of(), List.of(), "default", "x").telemetry();
    assertThat(quiet.accessLog().mode()).isEqualTo(AccessLogConfig.Mode.OFF);
    assertThat(quiet.tracing()).as("a switch left out keeps the mesh's own").isFalse();
    assertThat(FleetPolicy.overlay(base, FleetConfig.empty(), List.of(), List.of(), "default", "x").telemetry())
        .isEqualTo(base.telemetry());
  }

  @Test
  void securityRulesAllowTheirSourcesMethodsOnTheirDestinationOnly() {
    SecurityRule rule = new SecurityRule(null, "default", "frontend", "default", "user-service",
        List.of("GET", "POST"), false, "STRICT").checked("s1");
    AuthorizationRule own = AuthorizationRule.deny("*").toPaths("/admin/*");
    MeshConfig base = MeshConfig.builder().authorization(AuthorizationPolicy.of(own)).build();
    AuthorizationPolicy users = FleetPolicy.overlay(base, FleetConfig.empty(), List.of(), List.of(rule), "default",
        "user-service").authorization();
    WorkloadIdentity frontend = WorkloadIdentity.of("cluster.local", "default", "frontend");
    WorkloadIdentity orders = WorkloadIdentity.of("cluster.local", "default", "order-service");
    assertThat(users.evaluate(frontend, "GET", "/users/1").isDenied()).isFalse();
    assertThat(users.evaluate(frontend, "DELETE", "/users/1").isDenied()).isTrue();
    assertThat(users.evaluate(orders, "GET", "/users/1").isDenied()).isTrue();
    assertThat(users.evaluate(frontend, "GET", "/admin/x").isDenied()).isTrue();
    AuthorizationPolicy frontendsOwn = FleetPolicy.overlay(base, FleetConfig.empty(), List.of(), List.of(rule),
        "default", "frontend").authorization();
    assertThat(frontendsOwn).isEqualTo(base.authorization());
  }

  @Test
  void aStateThatDidNotChangeMakesAnEqualConfig() {
    TrafficRule beta = rule("r", Map.of("version", "beta"), "v2", 100);
    FleetConfig config = new FleetConfig(null, null, null, null, "least_request", null, null).checked();
    assertThat(FleetPolicy.overlay(MeshConfig.defaults(), config, List.of(beta), List.of(), "default", "a"))
        .isEqualTo(FleetPolicy.overlay(MeshConfig.defaults(), config, List.of(beta), List.of(), "default", "a"));
  }
}
