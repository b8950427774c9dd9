package io.meshwork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.policy.ServicePolicy;
import io.meshwork.resilience.RetryPolicy;
import io.meshwork.traffic.HeaderMatch;
import io.meshwork.traffic.HeaderRewrite;
import io.meshwork.traffic.PathMatch;
import io.meshwork.traffic.QueryMatch;
import io.meshwork.traffic.RouteDestination;
import io.meshwork.traffic.RouteMatch;
import io.meshwork.traffic.RouteRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Route rules: matches, subsets, overrides and request and response changes. */
class RoutingTest {

  private final TestMeshes meshes = new TestMeshes();
  private final List<MeshRequest> seen = new ArrayList<>();

  @AfterEach
  void close() {
    meshes.close();
  }

  /** An instance of {@code service} labelled version={@code version}, answering "service/version". */
  private void versioned(String service, String version) {
    Mesh mesh = meshes.add(meshes.builder(service).labels(Map.of("version", version)).build());
    mesh.serve(0, request -> {
      seen.add(request);
      return CompletableFuture.completedFuture(MeshResponse.ok(service + "/" + version));
    });
  }

  private static ServicePolicy.Builder subsets() {
    return ServicePolicy.builder().subset("v1", Map.of("version", "v1")).subset("v2", Map.of("version", "v2"));
  }

  private Mesh caller(ServicePolicy userPolicy) {
    return meshes.add(meshes.builder("frontend").policy("user-service", userPolicy).build());
  }

  private String call(Mesh mesh, MeshRequest request) {
    return meshes.join(mesh.call("user-service", request)).bodyAsString();
  }

  @Test
  void theSeedsRuleSendsTheBetaHeaderToV2AndEverythingElseToV1() {
    versioned("user-service", "v1");
    versioned("user-service", "v2");
    Mesh frontend = caller(subsets()
        .route(RouteRule.builder("beta").match(RouteMatch.builder().header(HeaderMatch.exact("version", "beta")).build())
            .destination(RouteDestination.of("user-service", "v2")).build())
        .route(RouteRule.builder("stable").destination(RouteDestination.of("user-service", "v1")).build())
        .build());
    for (int i = 0; i < 20; i++) {
      assertThat(call(frontend, MeshRequest.builder().path("/users/" + i).header("version", "beta").build()))
          .isEqualTo("user-service/v2");
      assertThat(call(frontend, MeshRequest.get("/users/" + i))).isEqualTo("user-service/v1");
      assertThat(call(frontend, MeshRequest.builder().path("/users/" + i).header("version", "alpha").build()))
          .isEqualTo("user-service/v1");
    }
  }

  @Test
  void pathsMatchExactlyByPrefixOrByRegexAndTheFirstMatchingRuleWins() {
    versioned("user-service", "v1");
    versioned("user-service", "v2");
    versioned("user-service", "v3");
    Mesh frontend = caller(subsets().subset("v3", Map.of("version", "v3"))
        .route(rule("exact", RouteMatch.builder().path(PathMatch.exact("/users/me")).build(), "v3"))
        .route(rule("prefix", RouteMatch.builder().path(PathMatch.prefix("/users/")).build(), "v2"))
        .route(rule("regex", RouteMatch.builder().path(PathMatch.regex("/orders/[0-9]+")).build(), "v3"))
        .route(rule("rest", RouteMatch.any(), "v1"))
        .build());
    assertThat(call(frontend, MeshRequest.get("/users/me"))).endsWith("v3");
    assertThat(call(frontend, MeshRequest.get("/users/me?x=1"))).as("the query is not part of the path").endsWith("v3");
    assertThat(call(frontend, MeshRequest.get("/users/me/friends"))).endsWith("v2");
    assertThat(call(frontend, MeshRequest.get("/users"))).as("a prefix is not a match of a shorter path").endsWith("v1");
    assertThat(call(frontend, MeshRequest.get("/orders/42"))).endsWith("v3");
    assertThat(call(frontend, MeshRequest.get("/orders/42x"))).as("a regex matches the whole path").endsWith("v1");
  }

  @Test
  void methodsQueryParametersAndPresentOrAbsentHeadersMatch() {
    versioned("user-service", "v1");
    versioned("user-service", "v2");
    Mesh frontend = caller(subsets()
        .route(rule("writes", RouteMatch.builder().method("POST").build(), "v2"))
        .route(rule("debug", RouteMatch.builder().query(QueryMatch.exact("debug", "on")).build(), "v2"))
        .route(rule("country", RouteMatch.builder().query(QueryMatch.regex("country", "d[ek]")).build(), "v2"))
        .route(rule("traced", RouteMatch.builder().header(HeaderMatch.present("x-trace"))
            .header(HeaderMatch.absent("x-skip")).build(), "v2"))
        .route(rule("rest", RouteMatch.any(), "v1"))
        .build());
    assertThat(call(frontend, MeshRequest.post("/", "x"))).endsWith("v2");
    assertThat(call(frontend, MeshRequest.get("/?a=1&debug=on"))).endsWith("v2");
    assertThat(call(frontend, MeshRequest.get("/?debug=off"))).endsWith("v1");
    assertThat(call(frontend, MeshRequest.get("/?country=dk"))).endsWith("v2");
    assertThat(call(frontend, MeshRequest.get("/?country=d%65"))).as("values are percent-decoded").endsWith("v2");
    assertThat(call(frontend, MeshRequest.get("/?country=dkk"))).endsWith("v1");
    assertThat(call(frontend, MeshRequest.builder().path("/").header("x-trace", "1").build())).endsWith("v2");
    assertThat(call(frontend, MeshRequest.builder().path("/").header("x-trace", "1").header("x-skip", "1").build()))
        .endsWith("v1");
    assertThat(call(frontend, MeshRequest.builder().method("post").path("/").build()))
        .as("methods are case-sensitive").endsWith("v1");
  }

  @Test
  void aRouteChangesTheRequestsHeadersAndPathAndTheResponsesHeaders() {
    versioned("user-service", "v1");
    Mesh frontend = caller(subsets().route(RouteRule.builder("api")
        .match(RouteMatch.builder().path(PathMatch.prefix("/api/")).build())
        .destination(RouteDestination.of("user-service", "v1"))
        .prefixRewrite("/")
        .requestHeaders(HeaderRewrite.builder().set("x-env", "prod").add("x-trail", "mesh").remove("cookie").build())
        .responseHeaders(HeaderRewrite.builder().add("x-served-by", "v1").remove("content-type").build())
        .build()).build());
    MeshResponse response = meshes.join(frontend.call("user-service", MeshRequest.builder().path("/api/users/1?q=2")
        .header("x-env", "dev").header("x-trail", "app").header("cookie", "secret").build()));
    MeshRequest received = seen.get(0);
    assertThat(received.path()).isEqualTo("/users/1?q=2");
    assertThat(received.headers().getAll("x-env")).containsExactly("prod");
    assertThat(received.headers().getAll("x-trail")).containsExactly("app", "mesh");
    assertThat(received.header("cookie")).isNull();
    assertThat(response.header("x-served-by")).isEqualTo("v1");
    assertThat(response.header("content-type")).isNull();
  }

  @Test
  void aRoutesTimeoutAndRetryPolicyOverrideTheDestinations() {
    meshes.serve("user-service", request -> request.path().startsWith("/slow")
        ? new CompletableFuture<>() : CompletableFuture.completedFuture(MeshResponse.of(503)));
    Mesh frontend = caller(ServicePolicy.builder().timeout(Duration.ofSeconds(10))
        .route(RouteRule.builder("slow").match(RouteMatch.builder().path(PathMatch.prefix("/slow")).build())
            .destination(RouteDestination.of("user-service")).timeout(Duration.ofMillis(200)).build())
        .route(RouteRule.builder("once").destination(RouteDestination.of("user-service"))
            .retry(RetryPolicy.none()).build())
        .build());
    CompletableFuture<MeshResponse> slow = frontend.call("user-service", MeshRequest.get("/slow"));
    meshes.ticker.advance(Duration.ofMillis(200));
    assertThatThrownBy(slow::join).cause().isInstanceOf(DeadlineExceededException.class)
        .hasMessageContaining("deadline of 200 ms");
    assertThat(meshes.join(frontend.call("user-service", MeshRequest.get("/x"))).attempts()).isEqualTo(1);
    assertThat(meshes.join(frontend.call("user-service", MeshRequest.get("/x"),
        CallOptions.builder().retry(RetryPolicy.defaults()).build())).attempts())
        .as("a call's own retry policy beats the route's").isEqualTo(3);
  }

  @Test
  void aSubsetWithNoInstanceFailsNamingTheServiceAndTheSubset() {
    versioned("user-service", "v1");
    Mesh frontend = caller(subsets().route(rule("all-to-v2", RouteMatch.any(), "v2")).build());
    assertThatThrownBy(() -> meshes.join(frontend.call("user-service", MeshRequest.get("/"))))
        .cause().isInstanceOf(NoHealthyInstanceException.class)
        .hasMessage("user-service: no instance of subset v2 {version=v2} registered (1 registered in all)");
  }

  @Test
  void aRouteToAnUndeclaredSubsetIsRefusedWhenTheMeshIsBuilt() {
    assertThatThrownBy(() -> meshes.builder("frontend").policy("user-service", subsets()
        .route(rule("canary", RouteMatch.any(), "v9")).build()).build())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessage("user-service: route 'canary' sends calls to subset v9 of user-service, which its policy does"
            + " not declare (declared: [v1, v2])");
  }

  @Test
  void aRouteMaySendCallsToAnotherService() {
    versioned("user-service", "v1");
    versioned("legacy-users", "v0");
    Mesh frontend = caller(ServicePolicy.builder().route(RouteRule.builder("legacy")
        .match(RouteMatch.builder().path(PathMatch.prefix("/old/")).build())
        .destination(RouteDestination.of("legacy-users")).build()).build());
    assertThat(call(frontend, MeshRequest.get("/old/1"))).isEqualTo("legacy-users/v0");
    assertThat(call(frontend, MeshRequest.get("/new/1"))).isEqualTo("user-service/v1");
  }

  @Test
  void badRulesAreRefusedNamingTheRuleTheFieldAndTheError() {
    assertThatThrownBy(() -> PathMatch.regex("/users/(["))
        .hasMessageStartingWith("path.regex: '/users/([' is not a regular expression (");
    assertThatThrownBy(() -> RouteRule.builder("empty").build())
        .hasMessage("route 'empty': route: [] (expected: at least one destination)");
    assertThatThrownBy(() -> RouteRule.builder("zero").destination(RouteDestination.of("a").withWeight(0)).build())
        .hasMessage("route 'zero': weights sum to 0 (expected: > 0)");
    assertThatThrownBy(() -> RouteRule.builder("rw").match(RouteMatch.builder().path(PathMatch.regex("/a.*")).build())
        .destination(RouteDestination.of("a")).prefixRewrite("/").build())
        .hasMessageContaining("route 'rw': prefixRewrite needs every match to have an exact or prefix path");
    RouteRule one = rule("same", RouteMatch.any(), null);
    assertThatThrownBy(() -> ServicePolicy.builder().route(one).route(one).build())
        .hasMessage("routes: two rules are named 'same' (expected: unique names)");
  }

  private static RouteRule rule(String name, RouteMatch match, String subset) {
    return RouteRule.builder(name).match(match).destination(subset == null ? RouteDestination.of("user-service")
        : RouteDestination.of("user-service", subset)).build();
  }
}
