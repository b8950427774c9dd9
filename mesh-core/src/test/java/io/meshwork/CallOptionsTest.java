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

/** Per-call options and client handles. */
class CallOptionsTest {

  private final TestMeshes meshes = new TestMeshes();

  @AfterEach
  void close() {
    meshes.close();
  }

  @Test
  void aCallOptionsTimeoutShorterThanThePolicysWins() {
    meshes.serve("user-service", request -> new CompletableFuture<>()); // never answers
    Mesh orders = meshes.mesh("order-service", ServicePolicy.builder().timeout(Duration.ofSeconds(10))
        .retry(RetryPolicy.none()).build());
    CompletableFuture<MeshResponse> call = orders.call("user-service", MeshRequest.get("/"),
        CallOptions.builder().timeout(Duration.ofMillis(300)).build());
    meshes.ticker.advance(Duration.ofMillis(299));
    assertThat(call).isNotDone();
    meshes.ticker.advance(Duration.ofMillis(1));
    assertThatThrownBy(call::join).cause().isInstanceOf(DeadlineExceededException.class)
        .hasMessageContaining("deadline of 300 ms");
  }

  @Test
  void aCallOptionsTimeoutLongerThanThePolicysAlsoWins() {
    meshes.serve("user-service", request -> new CompletableFuture<>());
    Mesh orders = meshes.mesh("order-service", ServicePolicy.builder().timeout(Duration.ofSeconds(1))
        .retry(RetryPolicy.none()).build());
    CompletableFuture<MeshResponse> call = orders.call("user-service", MeshRequest.get("/"),
        CallOptions.builder().timeout(Duration.ofSeconds(5)).build());
    meshes.ticker.advance(Duration.ofSeconds(4));
    assertThat(call).isNotDone();
    meshes.ticker.advance(Duration.ofSeconds(1));
    assertThat(call).isCompletedExceptionally();
  }

  @Test
  void callOptionsHeadersReachTheServerAndReplaceTheRequestsOwn() {
    List<MeshRequest> seen = new ArrayList<>();
    meshes.serve("user-service", request -> {
      seen.add(request);
      return CompletableFuture.completedFuture(MeshResponse.ok("ok"));
    });
    Mesh orders = meshes.mesh("order-service", ServicePolicy.defaults());
    meshes.join(orders.call("user-service", MeshRequest.builder().path("/").header("x-team", "old").build(),
        CallOptions.builder().header("x-team", "new").header("x-extra", "1").build()));
    assertThat(seen.get(0).headers().getAll("x-team")).containsExactly("new");
    assertThat(seen.get(0).header("x-extra")).isEqualTo("1");
  }

  @Test
  void aCallsRetryPolicyReplacesTheDestinations() {
    meshes.serve("user-service", request -> CompletableFuture.completedFuture(MeshResponse.of(503)));
    Mesh orders = meshes.mesh("order-service", ServicePolicy.defaults());
    MeshResponse once = meshes.join(orders.call("user-service", MeshRequest.get("/"),
        CallOptions.builder().retry(RetryPolicy.none()).build()));
    assertThat(once.status()).isEqualTo(503);
    assertThat(once.attempts()).isEqualTo(1);
    MeshResponse thrice = meshes.join(orders.call("user-service", MeshRequest.get("/")));
    assertThat(thrice.attempts()).isEqualTo(3);
  }

  @Test
  void aClientHandleCallsItsServiceWithItsDefaultsUnderEachCallsOptions() {
    List<MeshRequest> seen = new ArrayList<>();
    meshes.serve("user-service", request -> {
      seen.add(request);
      return CompletableFuture.completedFuture(MeshResponse.ok("ok"));
    });
    Mesh orders = meshes.mesh("order-service", ServicePolicy.defaults());
    ServiceClient users = orders.client("user-service",
        CallOptions.builder().header("authorization", "Bearer a").header("x-tenant", "t1").build());
    assertThat(users.service()).isEqualTo("user-service");
    meshes.join(users.call(MeshRequest.get("/1")));
    meshes.join(users.call(MeshRequest.get("/2"), CallOptions.builder().header("x-tenant", "t2").build()));
    meshes.join(users.withOptions(CallOptions.builder().header("authorization", "Bearer b").build())
        .call(MeshRequest.get("/3")));
    assertThat(seen).extracting(request -> request.header("authorization"))
        .containsExactly("Bearer a", "Bearer a", "Bearer b");
    assertThat(seen).extracting(request -> request.header("x-tenant")).containsExactly("t1", "t2", "t1");
  }

  @Test
  void badOptionsAndBadServiceNamesAreRefusedWithTheFieldNamed() {
    assertThatThrownBy(() -> CallOptions.builder().timeout(Duration.ZERO))
        .hasMessage("timeout: PT0S (expected: > 0)");
    assertThatThrownBy(() -> CallOptions.builder().header("bad name", "v"))
        .hasMessageContaining("header name: 'bad name'");
    Mesh orders = meshes.mesh("order-service", ServicePolicy.defaults());
    assertThatThrownBy(() -> orders.call(null, MeshRequest.get("/")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("service: 'null' (expected:");
    assertThatThrownBy(() -> orders.client("not a name"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("service: 'not a name'");
  }

  @Test
  void aPerTryTimeoutLongerThanTheTimeoutIsRefusedWhenThePolicyIsBuilt() {
    assertThatThrownBy(() -> ServicePolicy.builder().timeout(Duration.ofMillis(500))
        .retry(RetryPolicy.builder().perTryTimeout(Duration.ofSeconds(1)).build()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retry.perTryTimeout: 1000 ms (expected: <= timeout 500 ms, or 0 for none: an attempt"
            + " can never outlast the call)");
  }
}
