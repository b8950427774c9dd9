package io.meshwork;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.policy.ServicePolicy;
import io.meshwork.traffic.RouteDestination;
import io.meshwork.traffic.RouteRule;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Weighted and sticky splits across subsets. */
class SplitTest {

  private static final int CALLS = 10_000;
  private final TestMeshes meshes = new TestMeshes();

  @AfterEach
  void close() {
    meshes.close();
  }

  private void versions() {
    for (String version : new String[] {"v1", "v2"}) {
      meshes.add(meshes.builder("user-service").labels(Map.of("version", version)).build())
          .serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok(version)));
    }
  }

  private Mesh caller(int stable, int canary, String hashOn) {
    RouteRule.Builder rule = RouteRule.builder("canary")
        .destination(RouteDestination.of("user-service", "v1").withWeight(stable))
        .destination(RouteDestination.of("user-service", "v2").withWeight(canary));
    if (hashOn != null) {
      rule.hashOn(hashOn);
    }
    return meshes.add(meshes.builder("frontend").policy("user-service", ServicePolicy.builder()
        .subset("v1", Map.of("version", "v1")).subset("v2", Map.of("version", "v2")).route(rule.build()).build())
        .build());
  }

  private String call(Mesh mesh, MeshRequest request) {
    return meshes.join(mesh.call("user-service", request)).bodyAsString();
  }

  @Test
  void aNinetyTenSplitLandsWithinBinomialBounds() {
    versions();
    Mesh frontend = caller(90, 10, null);
    int canary = 0;
    for (int i = 0; i < CALLS; i++) {
      if (call(frontend, MeshRequest.get("/")).equals("v2")) {
        canary++;
      }
    }
    // n = 10,000, p = 0.1: sd = 30; p = 0.999 two-sided is +-3.29 sd, so 1000 +- 99.
    assertThat(canary).isBetween(901, 1099);
  }

  @Test
  void aStickySplitKeepsEachKeyOnItsSideAndAWeightChangeMovesOnlyTheChangedShare() {
    versions();
    Mesh before = caller(90, 10, "x-user-id");
    Map<String, String> sides = new HashMap<>();
    for (int user = 0; user < 2_000; user++) {
      String key = "user-" + user;
      String side = call(before, MeshRequest.builder().path("/").header("x-user-id", key).build());
      sides.put(key, side);
      for (int again = 0; again < 3; again++) {
        assertThat(call(before, MeshRequest.builder().path("/").header("x-user-id", key).build())).isEqualTo(side);
      }
    }
    Mesh after = caller(80, 20, "x-user-id");
    int moved = 0;
    int movedBack = 0;
    for (Map.Entry<String, String> user : sides.entrySet()) {
      String now = call(after, MeshRequest.builder().path("/").header("x-user-id", user.getKey()).build());
      if (!now.equals(user.getValue())) {
        moved++;
        if (now.equals("v1")) {
          movedBack++;
        }
      }
    }
    // About 10% of 2,000 keys move, all of them from v1 to v2.
    assertThat(moved).isBetween(130, 270);
    assertThat(movedBack).isZero();
  }

  @Test
  void aCallsHashKeyMakesTheSplitStickyWithoutAHeader() {
    versions();
    Mesh frontend = caller(50, 50, null);
    for (int user = 0; user < 50; user++) {
      CallOptions options = CallOptions.builder().hashKey("user-" + user).build();
      String first = meshes.join(frontend.call("user-service", MeshRequest.get("/"), options)).bodyAsString();
      for (int again = 0; again < 5; again++) {
        assertThat(meshes.join(frontend.call("user-service", MeshRequest.get("/"), options)).bodyAsString())
            .isEqualTo(first);
      }
    }
  }

  @Test
  void aDestinationOfWeightZeroGetsNoCall() {
    versions();
    Mesh frontend = caller(100, 0, null);
    for (int i = 0; i < 500; i++) {
      assertThat(call(frontend, MeshRequest.get("/"))).isEqualTo("v1");
    }
  }
}
