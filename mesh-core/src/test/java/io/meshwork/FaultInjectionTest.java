package io.meshwork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.policy.ServicePolicy;
import io.meshwork.traffic.FaultInjection;
import io.meshwork.traffic.RouteDestination;
import io.meshwork.traffic.RouteRule;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Injected delays and aborts, decided by the mesh's random source, on its ticker. */
class FaultInjectionTest {

  private final TestMeshes meshes = new TestMeshes();
  private final AtomicInteger served = new AtomicInteger();

  @AfterEach
  void close() {
    meshes.close();
  }

  private Mesh caller(FaultInjection fault, Duration timeout) {
    meshes.serve("user-service", request -> {
      served.incrementAndGet();
      return CompletableFuture.completedFuture(MeshResponse.ok("ok"));
    });
    return meshes.mesh("frontend", ServicePolicy.builder().timeout(timeout)
        .route(RouteRule.builder("faulty").destination(RouteDestination.of("user-service")).fault(fault).build())
        .build());
  }

  @Test
  void anAbortAnswersItsStatusForItsShareOfCallsWithinBinomialBounds() {
    Mesh frontend = caller(FaultInjection.abort(20, 503), Duration.ofSeconds(5));
    int aborted = 0;
    for (int i = 0; i < 5_000; i++) {
      MeshResponse response = meshes.join(frontend.call("user-service", MeshRequest.get("/")));
      if (response.status() == 503) {
        assertThat(response.header("x-meshwork-fault")).isEqualTo("abort");
        assertThat(response.attempts()).as("an injected abort is not retried").isEqualTo(1);
        aborted++;
      }
    }
    // n = 5,000, p = 0.2: sd = 28.3; p = 0.999 is +-3.29 sd: 1000 +- 93.
    assertThat(aborted).isBetween(907, 1093);
    assertThat(served.get()).isEqualTo(5_000 - aborted);
  }

  @Test
  void aConnectionErrorAbortFailsTheCallWithoutReachingTheService() {
    Mesh frontend = caller(FaultInjection.abortWithConnectionError(100), Duration.ofSeconds(5));
    assertThatThrownBy(() -> meshes.join(frontend.call("user-service", MeshRequest.get("/"))))
        .cause().isInstanceOf(TransportException.class).hasMessageContaining("fault injected by route 'faulty'");
    assertThat(served).hasValue(0);
  }

  @Test
  void aDelayWaitsOnTheMeshsTickerNeverOnTheClock() {
    Mesh frontend = caller(FaultInjection.delay(100, Duration.ofMillis(300)), Duration.ofSeconds(5));
    CompletableFuture<MeshResponse> call = frontend.call("user-service", MeshRequest.get("/"));
    meshes.ticker.advance(Duration.ofMillis(299));
    assertThat(call).isNotDone();
    assertThat(served).hasValue(0);
    meshes.ticker.advance(Duration.ofMillis(1));
    assertThat(call.join().status()).isEqualTo(200);
    assertThat(served).hasValue(1);
  }

  @Test
  void delaysHitTheirShareOfCallsWithinBinomialBounds() {
    Mesh frontend = caller(FaultInjection.delay(30, Duration.ofMillis(10)), Duration.ofSeconds(5));
    int delayed = 0;
    for (int i = 0; i < 2_000; i++) {
      CompletableFuture<MeshResponse> call = frontend.call("user-service", MeshRequest.get("/"));
      if (!call.isDone()) {
        delayed++;
        meshes.ticker.advance(Duration.ofMillis(10));
      }
      assertThat(call.join().status()).isEqualTo(200);
    }
    // n = 2,000, p = 0.3: sd = 20.5; +-3.29 sd: 600 +- 68.
    assertThat(delayed).isBetween(532, 668);
  }

  @Test
  void aDelayLongerThanTheTimeoutEndsTheCallAtItsDeadline() {
    Mesh frontend = caller(FaultInjection.delay(100, Duration.ofSeconds(3)), Duration.ofSeconds(1));
    CompletableFuture<MeshResponse> call = frontend.call("user-service", MeshRequest.get("/"));
    meshes.ticker.advance(Duration.ofSeconds(1));
    assertThatThrownBy(call::join).cause().isInstanceOf(DeadlineExceededException.class);
    meshes.ticker.advance(Duration.ofSeconds(2));
    assertThat(served).as("the delayed call never goes out after its deadline").hasValue(0);
  }

  @Test
  void badFaultsAreRefusedNamingTheField() {
    assertThatThrownBy(() -> FaultInjection.abort(120, 503)).hasMessage("fault.abort.percent: 120.0 (expected: 0..100)");
    assertThatThrownBy(() -> FaultInjection.abort(10, 99))
        .hasMessage("fault.abort.httpStatus: 99 (expected: 200..599, or 0 for a connection error)");
    assertThatThrownBy(() -> FaultInjection.delay(10, Duration.ZERO))
        .hasMessage("fault.delay.fixedDelay: PT0S (expected: > 0)");
  }
}
