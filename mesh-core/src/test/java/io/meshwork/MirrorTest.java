package io.meshwork;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.policy.ServicePolicy;
import io.meshwork.resilience.RetryBudgetConfig;
import io.meshwork.resilience.RetryPolicy;
import io.meshwork.traffic.Mirror;
import io.meshwork.traffic.RouteDestination;
import io.meshwork.traffic.RouteRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Mirrors: the copy goes out, the caller never sees it. */
class MirrorTest {

  private final TestMeshes meshes = new TestMeshes();
  private final List<MeshRequest> mirrored = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    meshes.close();
  }

  private final AtomicInteger primaryCalls = new AtomicInteger();

  private Mesh caller(double percent, MeshHandler shadow, RetryPolicy retry) {
    return caller(percent, request -> CompletableFuture.completedFuture(MeshResponse.ok("primary")), shadow, retry);
  }

  private Mesh caller(double percent, MeshHandler primary, MeshHandler shadow, RetryPolicy retry) {
    meshes.add(meshes.builder("user-service").labels(Map.of("version", "v1")).build())
        .serve(0, request -> {
          primaryCalls.incrementAndGet();
          return primary.handle(request);
        });
    meshes.add(meshes.builder("user-service").labels(Map.of("version", "shadow")).build())
        .serve(0, request -> {
          mirrored.add(request);
          return shadow.handle(request);
        });
    return meshes.mesh("frontend", ServicePolicy.builder().retry(retry)
        .subset("v1", Map.of("version", "v1")).subset("shadow", Map.of("version", "shadow"))
        .route(RouteRule.builder("mirrored").destination(RouteDestination.of("user-service", "v1"))
            .mirror(Mirror.of(RouteDestination.of("user-service", "shadow"), percent)).build())
        .build());
  }

  @Test
  void theMirrorSeesItsShareOfCallsMarkedAsCopies() {
    Mesh frontend = caller(100, request -> CompletableFuture.completedFuture(MeshResponse.ok("shadow")),
        RetryPolicy.defaults());
    for (int i = 0; i < 10; i++) {
      assertThat(meshes.join(frontend.call("user-service", MeshRequest.post("/orders/" + i, "body-" + i)))
          .bodyAsString()).isEqualTo("primary");
    }
    assertThat(mirrored).hasSize(10);
    assertThat(mirrored).extracting(MeshRequest::bodyAsString).contains("body-0", "body-9");
    assertThat(mirrored).allSatisfy(request -> assertThat(request.header("x-meshwork-mirror")).isEqualTo("true"));
  }

  @Test
  void theCallerNeverSeesTheMirrorsFailuresOrLatency() {
    List<CompletableFuture<MeshResponse>> hanging = new ArrayList<>();
    Mesh frontend = caller(100, request -> {
      CompletableFuture<MeshResponse> never = new CompletableFuture<>();
      hanging.add(never);
      return never;
    }, RetryPolicy.defaults());
    CompletableFuture<MeshResponse> call = frontend.call("user-service", MeshRequest.get("/"));
    assertThat(call).as("done at once, while the mirror hangs").isCompleted();
    assertThat(call.join().bodyAsString()).isEqualTo("primary");
    Mesh failing = caller(100, request -> {
      throw new IllegalStateException("shadow broke");
    }, RetryPolicy.defaults());
    assertThat(meshes.join(failing.call("user-service", MeshRequest.get("/"))).status()).isEqualTo(200);
  }

  @Test
  void aFailingMirrorIsNeverRetriedAndNeitherFillsNorDrainsTheCallersBudget() {
    // Half a retry per call and no floor: 20 failing calls may make 10 retries, whatever the mirror does.
    RetryPolicy tight = RetryPolicy.builder().budget(new RetryBudgetConfig(0.5, 0, java.time.Duration.ofSeconds(10)))
        .build();
    MeshHandler unavailable = request -> CompletableFuture.completedFuture(MeshResponse.of(503));
    Mesh frontend = caller(100, unavailable, unavailable, tight);
    for (int i = 0; i < 20; i++) {
      meshes.join(frontend.call("user-service", MeshRequest.get("/")));
    }
    assertThat(mirrored).as("one copy per first attempt, and no retry of a copy").hasSize(20);
    assertThat(primaryCalls.get()).as("20 calls and the budget's 10 retries").isBetween(29, 30);
  }

  @Test
  void noCopyGoesOutAtZeroPercent() {
    Mesh frontend = caller(0, request -> CompletableFuture.completedFuture(MeshResponse.ok("shadow")),
        RetryPolicy.defaults());
    for (int i = 0; i < 50; i++) {
      meshes.join(frontend.call("user-service", MeshRequest.get("/")));
    }
    assertThat(mirrored).isEmpty();
  }
}
