package io.meshwork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.policy.ServicePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The application's own decorators around every call. */
class DecoratorTest {

  private final TestMeshes meshes = new TestMeshes();
  private final List<MeshRequest> seen = new ArrayList<>();

  @AfterEach
  void close() {
    meshes.close();
  }

  private void recordingServer() {
    meshes.serve("user-service", request -> {
      seen.add(request);
      return CompletableFuture.completedFuture(MeshResponse.ok("ok"));
    });
  }

  @Test
  void aDecoratorAddsAHeaderTheServerSees() {
    recordingServer();
    Mesh orders = meshes.add(meshes.builder("order-service").decorator((service, request, next) ->
        next.proceed(request.toBuilder().header("authorization", "Bearer t-" + service).build())).build());
    meshes.join(orders.call("user-service", MeshRequest.get("/")));
    assertThat(seen.get(0).header("authorization")).isEqualTo("Bearer t-user-service");
  }

  @Test
  void decoratorsRunInTheOrderGivenMeshWideOnesOutsideTheDestinations() {
    recordingServer();
    List<String> order = new ArrayList<>();
    CallDecorator first = trace("mesh-1", order);
    CallDecorator second = trace("mesh-2", order);
    ServicePolicy policy = ServicePolicy.builder().decorator(trace("dest-1", order))
        .decorator(trace("dest-2", order)).build();
    Mesh orders = meshes.add(meshes.builder("order-service").decorator(first).decorator(second)
        .policy("user-service", policy).build());
    meshes.join(orders.call("user-service", MeshRequest.get("/")));
    assertThat(order).containsExactly("mesh-1 in", "mesh-2 in", "dest-1 in", "dest-2 in",
        "dest-2 out", "dest-1 out", "mesh-2 out", "mesh-1 out");
    assertThat(seen.get(0).headers().getAll("x-trail")).containsExactly("mesh-1", "mesh-2", "dest-1", "dest-2");
  }

  @Test
  void aDecoratorThatThrowsFailsTheCallWithItsExceptionAndNeverHangs() {
    recordingServer();
    IllegalStateException bug = new IllegalStateException("token store down");
    Mesh orders = meshes.add(meshes.builder("order-service").decorator((service, request, next) -> {
      throw bug;
    }).build());
    CompletableFuture<MeshResponse> call = orders.call("user-service", MeshRequest.get("/"));
    assertThat(call).isDone();
    assertThatThrownBy(call::join).cause().isSameAs(bug);
    assertThat(seen).isEmpty();
  }

  @Test
  void aDecoratorThatReturnsNoFutureFailsTheCallClearly() {
    Mesh orders = meshes.add(meshes.builder("order-service").decorator((service, request, next) -> null).build());
    CompletableFuture<MeshResponse> call = orders.call("user-service", MeshRequest.get("/"));
    assertThatThrownBy(call::join).cause().isInstanceOf(MeshException.class)
        .hasMessageContaining("returned no future");
  }

  @Test
  void aDecoratorMayAnswerByItselfAsAFallback() {
    meshes.serve("user-service", request -> CompletableFuture.completedFuture(MeshResponse.of(503)));
    Mesh orders = meshes.add(meshes.builder("order-service").decorator((service, request, next) ->
        next.proceed(request).thenApply(response ->
            response.isServerError() ? MeshResponse.ok("cached") : response)).build());
    assertThat(meshes.join(orders.call("user-service", MeshRequest.get("/"))).bodyAsString()).isEqualTo("cached");
  }

  @Test
  void theDeadlineCountsFromTheCallsStartSoADecoratorsDelayUsesItUp() {
    meshes.serve("user-service", request -> new CompletableFuture<>());
    CompletableFuture<Void> tokenArrives = new CompletableFuture<>();
    Mesh orders = meshes.add(meshes.builder("order-service")
        .defaultPolicy(ServicePolicy.builder().timeout(Duration.ofSeconds(1)).build())
        .decorator((service, request, next) -> tokenArrives.thenCompose(token -> next.proceed(request)))
        .build());
    CompletableFuture<MeshResponse> call = orders.call("user-service", MeshRequest.get("/"));
    meshes.ticker.advance(Duration.ofMillis(800));
    tokenArrives.complete(null);
    meshes.ticker.advance(Duration.ofMillis(199));
    assertThat(call).isNotDone();
    meshes.ticker.advance(Duration.ofMillis(1));
    assertThatThrownBy(call::join).cause().isInstanceOf(DeadlineExceededException.class);
  }

  private static CallDecorator trace(String name, List<String> order) {
    return (service, request, next) -> {
      order.add(name + " in");
      return next.proceed(request.toBuilder().addHeader("x-trail", name).build())
          .whenComplete((response, failure) -> order.add(name + " out"));
    };
  }
}
