package io.meshwork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.policy.ConcurrencyLimits;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.resilience.RetryPolicy;
import io.meshwork.time.FakeTicker;
import io.meshwork.transport.InMemoryTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ConcurrencyLimitTest {

  private final FakeTicker ticker = new FakeTicker();
  private final InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
  private final InMemoryTransport network = new InMemoryTransport(ticker);

  @Test
  void pastTheInFlightAndPendingLimitsACallFailsFastWithoutBeingSent() {
    List<CompletableFuture<MeshResponse>> answers = new ArrayList<>();
    try (Mesh users = mesh("user-service", ServicePolicy.defaults());
         Mesh orders = mesh("order-service", ServicePolicy.builder()
             .limits(new ConcurrencyLimits(2, 1)).retry(RetryPolicy.none()).timeout(Duration.ofSeconds(5)).build())) {
      users.serve(0, request -> {
        CompletableFuture<MeshResponse> answer = new CompletableFuture<>();
        answers.add(answer);
        return answer;
      });
      List<CompletableFuture<MeshResponse>> calls = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        calls.add(orders.call("user-service", MeshRequest.get("/" + i)));
      }
      assertThat(answers).as("two in flight, one pending").hasSize(2);
      CompletableFuture<MeshResponse> rejected = orders.call("user-service", MeshRequest.get("/rejected"));
      assertThatThrownBy(rejected::join).cause().isInstanceOf(ConcurrencyLimitException.class)
          .hasMessage("user-service: 2 attempts in flight and 1 pending: limit reached");
      assertThat(answers).hasSize(2);

      answers.get(0).complete(MeshResponse.ok("first"));
      assertThat(calls.get(0).join().bodyAsString()).isEqualTo("first");
      assertThat(answers).as("the pending call got the free slot").hasSize(3);
      answers.get(1).complete(MeshResponse.ok("second"));
      answers.get(2).complete(MeshResponse.ok("third"));
      assertThat(calls.get(2).join().bodyAsString()).isEqualTo("third");
    }
  }

  @Test
  void aPendingCallEndsWithItsDeadlineAndFreesItsPlace() {
    try (Mesh users = mesh("user-service", ServicePolicy.defaults());
         Mesh orders = mesh("order-service", ServicePolicy.builder()
             .limits(new ConcurrencyLimits(1, 1)).retry(RetryPolicy.none()).timeout(Duration.ofSeconds(1)).build())) {
      users.serve(0, request -> new CompletableFuture<>());
      CompletableFuture<MeshResponse> inFlight = orders.call("user-service", MeshRequest.get("/"));
      CompletableFuture<MeshResponse> pending = orders.call("user-service", MeshRequest.get("/"));
      ticker.advance(Duration.ofSeconds(1));
      assertThatThrownBy(inFlight::join).cause().isInstanceOf(DeadlineExceededException.class);
      assertThatThrownBy(pending::join).cause().isInstanceOf(DeadlineExceededException.class);
      CompletableFuture<MeshResponse> later = orders.call("user-service", MeshRequest.get("/"));
      assertThat(later).isNotDone();
      ticker.advance(Duration.ofSeconds(1));
      assertThatThrownBy(later::join).cause().isInstanceOf(DeadlineExceededException.class);
    }
  }

  private Mesh mesh(String service, ServicePolicy policy) {
    return Mesh.builder().service(service).registry(registry).transport(network).ticker(ticker)
        .defaultPolicy(policy).shutdownGrace(Duration.ZERO).build();
  }
}
