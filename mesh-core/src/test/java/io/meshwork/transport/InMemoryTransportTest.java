package io.meshwork.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.Mesh;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.resilience.RetryPolicy;
import io.meshwork.time.FakeTicker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fault scripting a test kit relies on: fail the next n requests, the last request seen. */
class InMemoryTransportTest {

  private final FakeTicker ticker = new FakeTicker();
  private final InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
  private final InMemoryTransport transport = new InMemoryTransport(ticker);
  private final Mesh users = mesh("user-service");
  private final Mesh orders = mesh("order-service");
  private final ServiceInstance user = users.serve(0,
      request -> CompletableFuture.completedFuture(MeshResponse.ok("alice"))).instance();

  @AfterEach
  void close() {
    orders.close();
    users.close();
    transport.close();
  }

  private Mesh mesh(String service) {
    return Mesh.builder().service(service).registry(registry).transport(transport).ticker(ticker)
        .defaultPolicy(ServicePolicy.builder().retry(RetryPolicy.none()).build())
        .shutdownGrace(Duration.ZERO).build();
  }

  private MeshResponse call(String path) {
    CompletableFuture<MeshResponse> call = orders.call("user-service", MeshRequest.get(path));
    ticker.advanceUntilDone(call, Duration.ofSeconds(30));
    return call.join();
  }

  @Test
  void failNextFailsThatManyRequestsThenTheInstanceAnswersAgain() {
    transport.failNext(user, 2, 503);

    assertThat(call("/1").status()).isEqualTo(503);
    assertThat(call("/2").status()).isEqualTo(503);
    assertThat(call("/3").bodyAsString()).isEqualTo("alice");
    assertThat(transport.requestsTo(user)).isEqualTo(3);
  }

  @Test
  void failNextComesBeforeAnotherFaultWhichResumesAfterIt() {
    transport.slow(user, Duration.ofSeconds(1));
    transport.failNext(user, 1, 500);

    assertThat(call("/1").status()).isEqualTo(500);
    assertThat(ticker.nanoTime()).isZero();
    assertThat(call("/2").bodyAsString()).isEqualTo("alice");
    assertThat(ticker.nanoTime()).isEqualTo(Duration.ofSeconds(1).toNanos());
  }

  @Test
  void healLiftsFailNext() {
    transport.failNext(user, 5, 503);
    transport.heal(user);

    assertThat(call("/1").status()).isEqualTo(200);
  }

  @Test
  void lastRequestToIsWhatTheInstanceReceived() {
    assertThat(transport.lastRequestTo(user)).isEmpty();

    call("/users/1");
    transport.failNext(user, 1, 503);
    call("/users/2");

    MeshRequest last = transport.lastRequestTo(user).orElseThrow();
    assertThat(last.path()).isEqualTo("/users/2");
    assertThat(last.header(TransportHeaders.TIMEOUT_MS)).isNotNull();
  }

  @Test
  void aRefusedConnectionDeliversNothing() {
    transport.refuse(user);
    CompletableFuture<MeshResponse> call = orders.call("user-service", MeshRequest.get("/users/1"));
    ticker.advanceUntilDone(call, Duration.ofSeconds(30));

    assertThat(call).isCompletedExceptionally();

    assertThat(transport.lastRequestTo(user)).isEmpty();
    assertThat(transport.requestsTo(user)).isZero();
  }

  @Test
  void badArgumentsAreRejected() {
    assertThatThrownBy(() -> transport.failNext(user, 0, 503))
        .hasMessage("count: 0 (expected: >= 1)");
    assertThatThrownBy(() -> transport.failNext(user, 1, 99))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
