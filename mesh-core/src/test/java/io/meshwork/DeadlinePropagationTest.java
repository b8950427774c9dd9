package io.meshwork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.policy.ServicePolicy;
import io.meshwork.resilience.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An inbound request's deadline bounds the calls its handler makes, and theirs in turn. */
class DeadlinePropagationTest {

  private final TestMeshes meshes = new TestMeshes();
  private final ServicePolicy longTimeout = ServicePolicy.builder().timeout(Duration.ofSeconds(10))
      .retry(RetryPolicy.none()).build();

  @AfterEach
  void close() {
    meshes.close();
  }

  @Test
  void aCallMadeByAHandlerEndsByTheInboundDeadlineNotItsOwnTimeout() {
    List<String> deepDeadlines = new ArrayList<>();
    meshes.serve("storage", request -> {
      deepDeadlines.add(request.header("x-meshwork-timeout-ms"));
      return new CompletableFuture<>(); // hangs
    });
    Mesh users = meshes.mesh("user-service", longTimeout);
    List<CompletableFuture<MeshResponse>> inner = new ArrayList<>();
    users.serve(0, request -> {
      CompletableFuture<MeshResponse> call = users.call("storage", MeshRequest.get("/blob"));
      inner.add(call);
      return call;
    });
    Mesh frontend = meshes.mesh("frontend", ServicePolicy.builder().timeout(Duration.ofSeconds(1))
        .retry(RetryPolicy.none()).build());
    CompletableFuture<MeshResponse> outer = frontend.call("user-service", MeshRequest.get("/users/1"));
    assertThat(deepDeadlines).as("the callee's callee gets the remaining time, not 10 s").containsExactly("1000");
    meshes.ticker.advance(Duration.ofMillis(999));
    assertThat(inner.get(0)).isNotDone();
    meshes.ticker.advance(Duration.ofMillis(1));
    assertThatThrownBy(inner.get(0)::join).cause().isInstanceOf(DeadlineExceededException.class);
    assertThat(outer).isCompletedExceptionally();
  }

  @Test
  void aCallMadeInACallbackOfTheHandlersFirstCallIsBoundedToo() {
    meshes.serveText("profile", "p");
    meshes.serve("storage", request -> new CompletableFuture<>());
    Mesh users = meshes.mesh("user-service", longTimeout);
    List<CompletableFuture<MeshResponse>> second = new ArrayList<>();
    users.serve(0, request -> users.call("profile", MeshRequest.get("/p")).thenCompose(profile -> {
      CompletableFuture<MeshResponse> call = users.call("storage", MeshRequest.get("/blob"));
      second.add(call);
      return call;
    }));
    Mesh frontend = meshes.mesh("frontend", ServicePolicy.builder().timeout(Duration.ofMillis(500))
        .retry(RetryPolicy.none()).build());
    frontend.call("user-service", MeshRequest.get("/users/1"));
    assertThat(second).hasSize(1);
    meshes.ticker.advance(Duration.ofMillis(500));
    assertThat(second.get(0)).isCompletedExceptionally();
  }

  @Test
  void withoutAnInboundDeadlineTheCallKeepsItsOwnTimeout() {
    meshes.serve("storage", request -> new CompletableFuture<>());
    Mesh users = meshes.mesh("user-service", longTimeout);
    CompletableFuture<MeshResponse> call = users.call("storage", MeshRequest.get("/blob"));
    meshes.ticker.advance(Duration.ofMillis(9_999));
    assertThat(call).isNotDone();
    meshes.ticker.advance(Duration.ofMillis(1));
    assertThat(call).isCompletedExceptionally();
  }
}
