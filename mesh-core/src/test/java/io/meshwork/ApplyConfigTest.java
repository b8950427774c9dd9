package io.meshwork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.config.ConfigChange;
import io.meshwork.config.MeshConfig;
import io.meshwork.loadbalancer.LoadBalancer;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.resilience.CircuitBreakerConfig;
import io.meshwork.resilience.CircuitState;
import io.meshwork.resilience.OutlierDetectionConfig;
import io.meshwork.resilience.RetryPolicy;
import io.meshwork.security.AuthorizationPolicy;
import io.meshwork.security.AuthorizationRule;
import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.MtlsMode;
import io.meshwork.telemetry.AccessLogConfig;
import io.meshwork.telemetry.TelemetryConfig;
import io.meshwork.traffic.RouteDestination;
import io.meshwork.traffic.RouteRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Changing a running mesh's config: what is swapped, what is kept, what is refused. */
class ApplyConfigTest {

  private final TestMeshes meshes = new TestMeshes();
  private final List<ConfigChange> applied = new ArrayList<>();
  private final List<String> rejected = new ArrayList<>();

  @AfterEach
  void close() {
    meshes.close();
  }

  private Mesh watched(MeshConfig config) {
    return meshes.add(meshes.builder("frontend").config(config).listener(new MeshListener() {
      @Override
      public void onConfigApplied(ConfigChange change) {
        applied.add(change);
      }

      @Override
      public void onConfigRejected(String source, InvalidConfigurationException reason) {
        rejected.add(source + ": " + reason.getMessage());
      }
    }).build());
  }

  private void versions() {
    for (String version : new String[] {"v1", "v2"}) {
      meshes.add(meshes.builder("user-service").labels(Map.of("version", version)).build())
          .serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok(version)));
    }
  }

  private static MeshConfig split(int stable, int canary) {
    return MeshConfig.builder().service("user-service", ServicePolicy.builder()
        .subset("v1", Map.of("version", "v1")).subset("v2", Map.of("version", "v2"))
        .route(RouteRule.builder("canary")
            .destination(RouteDestination.of("user-service", "v1").withWeight(stable))
            .destination(RouteDestination.of("user-service", "v2").withWeight(canary)).build())
        .build()).build();
  }

  private int canaryShare(Mesh mesh, int calls) {
    int canary = 0;
    for (int i = 0; i < calls; i++) {
      if (meshes.join(mesh.call("user-service", MeshRequest.get("/"))).bodyAsString().equals("v2")) {
        canary++;
      }
    }
    return canary;
  }

  @Test
  void callsFollowTheNewWeightsOnceTheConfigIsApplied() {
    versions();
    Mesh frontend = watched(split(100, 0));
    assertThat(canaryShare(frontend, 200)).isZero();
    ConfigChange change = frontend.apply(split(0, 100));
    assertThat(change.changed()).containsExactly("user-service");
    assertThat(change.toString()).isEqualTo("services changed [user-service]");
    assertThat(canaryShare(frontend, 200)).isEqualTo(200);
    assertThat(frontend.config().services()).isEqualTo(split(0, 100).services());
    assertThat(frontend.config().mtls()).as("the mode the mesh was built with").isEqualTo(MtlsMode.DISABLED);
    assertThat(applied).hasSize(1);
  }

  @Test
  void aBadConfigIsRefusedAndTheOneInForceStays() {
    versions();
    Mesh frontend = watched(split(100, 0));
    MeshConfig bad = MeshConfig.builder().service("user-service", ServicePolicy.builder()
        .route(RouteRule.builder("nowhere").destination(RouteDestination.of("user-service", "v9")).build())
        .build()).build();
    assertThatThrownBy(() -> frontend.apply(bad)).isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("route 'nowhere' sends calls to subset v9 of user-service");
    assertThat(rejected).singleElement().asString().startsWith("Mesh.apply: user-service: route 'nowhere'");
    assertThat(frontend.config().services()).isEqualTo(split(100, 0).services());
    assertThat(canaryShare(frontend, 50)).isZero();
  }

  @Test
  void anOpenBreakerStaysOpenAcrossAReloadThatKeepsItsConfig() {
    MeshServer sick = meshes.serve("user-service", request -> CompletableFuture.completedFuture(MeshResponse.of(503)));
    meshes.serveText("user-service", "ok");
    ServicePolicy policy = ServicePolicy.builder().loadBalancer(LoadBalancer::roundRobin)
        .circuitBreaker(CircuitBreakerConfig.builder().consecutiveFailures(2).build())
        .outlierDetection(OutlierDetectionConfig.disabled()).retry(RetryPolicy.none()).build();
    Mesh frontend = watched(MeshConfig.builder().service("user-service", policy).build());
    for (int i = 0; i < 6; i++) {
      meshes.join(frontend.call("user-service", MeshRequest.get("/")));
    }
    assertThat(circuitOf(frontend, sick)).isEqualTo(CircuitState.OPEN);
    frontend.apply(MeshConfig.builder().service("user-service", policy.toBuilder()
        .timeout(Duration.ofSeconds(3)).build()).build());
    assertThat(circuitOf(frontend, sick)).as("kept across the reload").isEqualTo(CircuitState.OPEN);
    for (int i = 0; i < 10; i++) {
      assertThat(meshes.join(frontend.call("user-service", MeshRequest.get("/"))).bodyAsString()).isEqualTo("ok");
    }
  }

  @Test
  void aCallInFlightFinishesOnTheChainItStartedOn() {
    List<CompletableFuture<MeshResponse>> held = new ArrayList<>();
    meshes.serve("user-service", request -> {
      CompletableFuture<MeshResponse> answer = new CompletableFuture<>();
      held.add(answer);
      return answer;
    });
    Mesh frontend = watched(MeshConfig.builder().service("user-service",
        ServicePolicy.builder().timeout(Duration.ofSeconds(5)).build()).build());
    CompletableFuture<MeshResponse> inFlight = frontend.call("user-service", MeshRequest.get("/"));
    frontend.apply(MeshConfig.builder().service("user-service",
        ServicePolicy.builder().timeout(Duration.ofMillis(100)).build()).build());
    meshes.ticker.advance(Duration.ofMillis(200));
    assertThat(inFlight).as("its 5 s deadline holds, not the new 100 ms").isNotDone();
    held.get(0).complete(MeshResponse.ok("late"));
    assertThat(inFlight.join().bodyAsString()).isEqualTo("late");
    CompletableFuture<MeshResponse> after = frontend.call("user-service", MeshRequest.get("/"));
    meshes.ticker.advance(Duration.ofMillis(100));
    assertThat(after).as("a new call takes the new timeout").isCompletedExceptionally();
  }

  @Test
  void authorizationRulesChangeAtRunTime() {
    CertificateAuthority authority = CertificateAuthority.create("cluster.local");
    Mesh users = meshes.add(meshes.builder("user-service").certificateAuthority(authority).build());
    users.serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok("secret")));
    Mesh frontend = meshes.add(meshes.builder("frontend").certificateAuthority(authority)
        .defaultPolicy(ServicePolicy.builder().retry(RetryPolicy.none()).build()).build());
    assertThat(meshes.join(frontend.call("user-service", MeshRequest.get("/admin/x"))).status()).isEqualTo(200);
    users.apply(users.config().toBuilder().authorization(AuthorizationPolicy.of(
        AuthorizationRule.deny("*").toPaths("/admin/*").named("no-admin"))).build());
    assertThat(meshes.join(frontend.call("user-service", MeshRequest.get("/admin/x"))).status()).isEqualTo(403);
    assertThat(meshes.join(frontend.call("user-service", MeshRequest.get("/public"))).status()).isEqualTo(200);
  }

  @Test
  void applyingTheSameConfigChangesNothing() {
    Mesh frontend = watched(split(90, 10));
    assertThat(frontend.apply(split(90, 10)).isEmpty()).isTrue();
  }

  @Test
  void tracingAndTheAccessLogChangeAtRunTimeAndTheMetricsShapeIsRefused() {
    Map<String, String> seen = new java.util.concurrent.ConcurrentHashMap<>();
    meshes.add(meshes.builder("user-service").telemetry(TelemetryConfig.off()).build())
        .serve(0, request -> {
          seen.put("traceparent", String.valueOf(request.header("traceparent")));
          return CompletableFuture.completedFuture(MeshResponse.ok("ok"));
        });
    Mesh frontend = meshes.add(meshes.builder("frontend").telemetry(TelemetryConfig.builder().tracing(false)
        .accessLog(AccessLogConfig.off()).build()).build());
    try (AccessLogCapture log = new AccessLogCapture()) {
      meshes.join(frontend.call("user-service", MeshRequest.get("/before")));
      assertThat(seen).containsEntry("traceparent", "null");

      ConfigChange change = frontend.apply(frontend.config().toBuilder().telemetry(TelemetryConfig.builder()
          .tracing(true).accessLog(AccessLogConfig.all()).build()).build());
      assertThat(change.telemetry()).isTrue();
      assertThat(change.toString()).contains("telemetry changed");
      meshes.join(frontend.call("user-service", MeshRequest.get("/after")));
      assertThat(seen.get("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
      assertThat(log.lines()).anySatisfy(line -> assertThat(line).contains("/after"))
          .noneSatisfy(line -> assertThat(line).contains("/before"));
    }
    MeshConfig inForce = frontend.config();
    assertThatThrownBy(() -> frontend.apply(inForce.toBuilder().telemetry(TelemetryConfig.builder().metrics(false)
        .build()).build())).isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("telemetry.metrics: false (expected: true");
    assertThat(frontend.config()).isEqualTo(inForce);
    assertThat(frontend.config().toBuilder().telemetry(null).build().telemetry()).isNull();
    assertThat(frontend.apply(inForce.toBuilder().telemetry(null).build()).telemetry())
        .as("a config without telemetry keeps the one in force").isFalse();
  }

  private static CircuitState circuitOf(Mesh mesh, MeshServer server) {
    return mesh.healthReport().destination("user-service").instances().stream()
        .filter(instance -> instance.instance().equals(server.instance())).findFirst().orElseThrow().circuit();
  }
}
