package io.meshwork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.policy.ServicePolicy;
import io.meshwork.traffic.PathMatch;
import io.meshwork.traffic.RateLimit;
import io.meshwork.traffic.RouteDestination;
import io.meshwork.traffic.RouteMatch;
import io.meshwork.traffic.RouteRule;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Client-side rate limits of a destination and of a route. */
class RateLimitTest {

  private final TestMeshes meshes = new TestMeshes();
  private final AtomicInteger served = new AtomicInteger();

  @AfterEach
  void close() {
    meshes.close();
  }

  private Mesh caller(ServicePolicy policy) {
    meshes.serve("user-service", request -> {
      served.incrementAndGet();
      return CompletableFuture.completedFuture(MeshResponse.ok("ok"));
    });
    return meshes.mesh("frontend", policy);
  }

  @Test
  void pastTheBurstACallFailsAtOnceSayingTheLimitAndIsNotSent() {
    Mesh frontend = caller(ServicePolicy.builder().rateLimit(RateLimit.of(2, 3)).build());
    for (int i = 0; i < 3; i++) {
      assertThat(frontend.call("user-service", MeshRequest.get("/")).join().status()).isEqualTo(200);
    }
    CompletableFuture<MeshResponse> refused = frontend.call("user-service", MeshRequest.get("/"));
    assertThat(refused).isCompletedExceptionally();
    assertThatThrownBy(refused::join).isInstanceOf(CompletionException.class).cause()
        .isInstanceOf(RateLimitedException.class)
        .hasMessage("user-service: client rate limit of calls to user-service (2/s, burst 3) reached")
        .satisfies(failure -> assertThat(((RateLimitedException) failure).retryAfter()).isEqualTo(Duration.ofMillis(500)));
    assertThat(served).hasValue(3);
    meshes.ticker.advance(Duration.ofMillis(500));
    assertThat(frontend.call("user-service", MeshRequest.get("/")).join().status()).isEqualTo(200);
    assertThat(frontend.call("user-service", MeshRequest.get("/"))).isCompletedExceptionally();
  }

  @Test
  void overTenSecondsExactlyRateTimesTimePlusBurstCallsPass() {
    Mesh frontend = caller(ServicePolicy.builder().rateLimit(RateLimit.of(20, 5)).build());
    int passed = 0;
    for (int ms = 0; ms < 10_000; ms += 10) {
      for (int i = 0; i < 2; i++) {
        if (!frontend.call("user-service", MeshRequest.get("/")).isCompletedExceptionally()) {
          passed++;
        }
      }
      meshes.ticker.advance(Duration.ofMillis(10));
    }
    assertThat(passed).isEqualTo(20 * 10 + 5 - 1);
    assertThat(served).hasValue(passed);
  }

  @Test
  void aRoutesLimitAppliesOnlyToItsCalls() {
    Mesh frontend = caller(ServicePolicy.builder()
        .route(RouteRule.builder("search").match(RouteMatch.builder().path(PathMatch.prefix("/search")).build())
            .destination(RouteDestination.of("user-service")).rateLimit(RateLimit.of(1, 1)).build())
        .build());
    assertThat(frontend.call("user-service", MeshRequest.get("/search?q=a")).join().status()).isEqualTo(200);
    assertThatThrownBy(() -> frontend.call("user-service", MeshRequest.get("/search?q=b")).join())
        .cause().isInstanceOf(RateLimitedException.class)
        .hasMessage("user-service: client rate limit of route 'search' (1/s, burst 1) reached");
    for (int i = 0; i < 10; i++) {
      assertThat(frontend.call("user-service", MeshRequest.get("/users/" + i)).join().status()).isEqualTo(200);
    }
  }

  @Test
  void badLimitsAreRefusedNamingTheField() {
    assertThatThrownBy(() -> RateLimit.of(0, 1)).hasMessage("rateLimit.perSecond: 0.0 (expected: > 0 and <= 1e9)");
    assertThatThrownBy(() -> RateLimit.of(5, 0)).hasMessage("rateLimit.burst: 0 (expected: >= 1)");
  }
}
