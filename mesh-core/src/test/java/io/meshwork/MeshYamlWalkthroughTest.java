package io.meshwork;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.config.MeshConfig;
import io.meshwork.loadbalancer.LoadBalancerSpec;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.resilience.CircuitBreakerConfig;
import io.meshwork.resilience.OutlierDetectionConfig;
import io.meshwork.resilience.RetryPolicy;
import io.meshwork.security.AuthorizationPolicy;
import io.meshwork.security.AuthorizationRule;
import io.meshwork.security.MtlsMode;
import io.meshwork.security.RuleAction;
import io.meshwork.traffic.HeaderMatch;
import io.meshwork.traffic.RouteDestination;
import io.meshwork.traffic.RouteMatch;
import io.meshwork.traffic.RouteRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The seeds' walkthrough as a file (docs/mesh-walkthrough.yaml) means exactly what the same config
 * built in code means, and a mesh given its policy routes as the walkthrough says: the beta header to
 * v2, everyone else 90/10 with each user kept on one side.
 */
class MeshYamlWalkthroughTest {

  private static final Path WALKTHROUGH = Path.of("..", "docs", "mesh-walkthrough.yaml");

  private final TestMeshes meshes = new TestMeshes();

  @AfterEach
  void close() {
    meshes.close();
  }

  @Test
  void theFileIsTheConfigTheBuildersMake() throws IOException {
    MeshConfig fromFile = MeshConfig.parseYaml(Files.readString(WALKTHROUGH), WALKTHROUGH.toString());

    ServicePolicy users = ServicePolicy.builder()
        .subset("v1", Map.of("version", "v1"))
        .subset("v2", Map.of("version", "v2"))
        .route(RouteRule.builder("beta")
            .match(RouteMatch.builder().header(HeaderMatch.exact("version", "beta")).build())
            .destination(RouteDestination.of("user-service", "v2"))
            .build())
        .route(RouteRule.builder("canary")
            .hashOn("x-user-id")
            .destination(RouteDestination.of("user-service", "v1").withWeight(90))
            .destination(RouteDestination.of("user-service", "v2").withWeight(10))
            .build())
        .timeout(Duration.ofSeconds(2))
        .retry(RetryPolicy.builder().maxAttempts(3).perTryTimeout(Duration.ofMillis(500)).build())
        .circuitBreaker(CircuitBreakerConfig.builder().consecutiveFailures(5).openDuration(Duration.ofSeconds(30))
            .build())
        .outlierDetection(OutlierDetectionConfig.builder().consecutiveFailures(3).build())
        .loadBalancer(LoadBalancerSpec.peakEwma())
        .build();
    ServicePolicy orders = ServicePolicy.builder()
        .timeout(Duration.ofSeconds(5))
        .retry(RetryPolicy.builder().maxAttempts(2).build())
        .loadBalancer(LoadBalancerSpec.roundRobin())
        .build();
    MeshConfig inCode = MeshConfig.builder()
        .service("user-service", users)
        .service("order-service", orders)
        .authorization(AuthorizationPolicy.of(
            AuthorizationRule.deny().toPaths("/admin/*").named("no-admin"),
            AuthorizationRule.allow("default/order-service").withMethods("GET").toPaths("/users/*")
                .named("orders-read-users"),
            AuthorizationRule.allow("default/frontend").withMethods("GET", "POST").toPaths("/orders/*")
                .named("frontend-places-orders")))
        .authorizationDefault(RuleAction.DENY)
        .mtls(MtlsMode.STRICT)
        .build();

    assertThat(fromFile).isEqualTo(inCode);
    assertThat(MeshConfig.parseYaml(inCode.toYaml())).isEqualTo(fromFile);
  }

  @Test
  void aMeshGivenTheFilesPolicyRoutesAsTheWalkthroughSays() throws IOException {
    MeshConfig config = MeshConfig.parseYaml(Files.readString(WALKTHROUGH));
    for (String version : new String[] {"v1", "v2"}) {
      meshes.add(meshes.builder("user-service").labels(Map.of("version", version)).build())
          .serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok(version)));
    }
    Mesh orders = meshes.add(meshes.builder("order-service")
        .policy("user-service", config.policyFor("user-service")).build());

    for (int i = 0; i < 20; i++) {
      MeshRequest beta = MeshRequest.builder().path("/users/" + i).header("version", "beta")
          .header("x-user-id", "user-" + i).build();
      assertThat(call(orders, beta)).isEqualTo("v2");
    }
    int onV2 = 0;
    int users = 1000;
    for (int i = 0; i < users; i++) {
      MeshRequest request = MeshRequest.builder().path("/users/" + i).header("x-user-id", "user-" + i).build();
      String side = call(orders, request);
      assertThat(call(orders, request)).as("user-%s stays on one side", i).isEqualTo(side);
      onV2 += side.equals("v2") ? 1 : 0;
    }
    // 10% of 1000 hashed users: the binomial's 5 standard deviations (about 9.5) around 100.
    assertThat(onV2).isBetween(52, 148);
  }

  private String call(Mesh mesh, MeshRequest request) {
    return meshes.join(mesh.call("user-service", request)).bodyAsString();
  }
}
