package io.meshwork;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.policy.ConcurrencyLimits;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.resilience.RetryBudgetConfig;
import io.meshwork.resilience.RetryPolicy;
import io.meshwork.security.AuthorizationPolicy;
import io.meshwork.security.AuthorizationRule;
import io.meshwork.security.CertificateAuthority;
import io.meshwork.traffic.RateLimit;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The listener hears every call, every refusal, every budget exhaustion and every inbound request. */
class ListenerEventsTest {

  private final TestMeshes meshes = new TestMeshes();
  private final List<Object> events = new CopyOnWriteArrayList<>();
  private final MeshListener listener = new MeshListener() {
    @Override
    public void onCall(CallEvent event) {
      events.add(event);
    }

    @Override
    public void onRetryBudgetExhausted(String service) {
      events.add("budget " + service);
    }

    @Override
    public void onRejected(String service, Rejection reason, MeshException failure) {
      events.add(reason);
    }

    @Override
    public void onInboundRequest(InboundEvent event) {
      events.add(event);
    }

    @Override
    public void onInboundDenied(InboundEvent event) {
      events.add("denied " + event.denial());
    }
  };

  @AfterEach
  void close() {
    meshes.close();
  }

  @Test
  void aCallIsToldWithItsOutcomeAttemptsAndLatency() {
    meshes.serve("user-service", request -> CompletableFuture.completedFuture(MeshResponse.of(503)));
    Mesh orders = meshes.add(meshes.builder("order-service").listener(listener).build());
    MeshResponse answer = meshes.join(orders.call("user-service", MeshRequest.get("/u")));
    assertThat(answer.status()).isEqualTo(503);
    CallEvent call = (CallEvent) events.get(0);
    assertThat(call.service()).isEqualTo("user-service");
    assertThat(call.route()).isEqualTo("default");
    assertThat(call.response()).isSameAs(answer);
    assertThat(call.attempts()).isEqualTo(3);
    assertThat(call.responseFlags()).isEqualTo("URX");
    assertThat(call.latency()).isPositive(); // backoff ran on fake time between the attempts
    assertThat(call.instance()).isNotNull();
    assertThat(call.succeeded()).isFalse();
  }

  @Test
  void localRejectionsAndBudgetExhaustionAreTold() {
    meshes.serve("user-service", request -> new CompletableFuture<>()); // never answers
    Mesh orders = meshes.add(meshes.builder("order-service").listener(listener)
        .policy("user-service", ServicePolicy.builder().timeout(Duration.ofSeconds(1))
            .limits(new ConcurrencyLimits(1, 0)).build())
        .policy("limited", ServicePolicy.builder().rateLimit(RateLimit.of(0.001, 1)).build())
        .policy("flaky", ServicePolicy.builder().retry(RetryPolicy.builder()
            .budget(new RetryBudgetConfig(0.0, 0, Duration.ofSeconds(10))).build()).build())
        .build());
    CompletableFuture<MeshResponse> first = orders.call("user-service", MeshRequest.get("/"));
    meshes.run(orders.call("user-service", MeshRequest.get("/")), Duration.ofMillis(1));
    meshes.run(first, Duration.ofSeconds(2));
    meshes.serve("limited", request -> CompletableFuture.completedFuture(MeshResponse.ok("l")));
    meshes.join(orders.call("limited", MeshRequest.get("/")));
    meshes.run(orders.call("limited", MeshRequest.get("/")), Duration.ofMillis(1));
    meshes.serve("flaky", request -> CompletableFuture.completedFuture(MeshResponse.of(503)));
    meshes.join(orders.call("flaky", MeshRequest.get("/")));
    assertThat(events).contains(Rejection.CONCURRENCY_LIMIT, Rejection.RATE_LIMITED, "budget flaky");
  }

  @Test
  void inboundRequestsAndDenialsAreTold() {
    CertificateAuthority authority = CertificateAuthority.create("cluster.local", meshes.ticker.clock());
    meshes.add(meshes.builder("user-service").certificateAuthority(authority).listener(listener)
        .authorization(AuthorizationPolicy.of(AuthorizationRule.deny("spiffe://cluster.local/ns/default/sa/intruder")))
        .build()).serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok("u")));
    meshes.join(meshes.add(meshes.builder("order-service").certificateAuthority(authority).build())
        .call("user-service", MeshRequest.get("/ok")));
    meshes.join(meshes.add(meshes.builder("intruder").certificateAuthority(authority).build())
        .call("user-service", MeshRequest.get("/no")));
    List<InboundEvent> inbound = events.stream().filter(InboundEvent.class::isInstance)
        .map(InboundEvent.class::cast).toList();
    assertThat(inbound).hasSize(2);
    assertThat(inbound.get(0).status()).isEqualTo(200);
    assertThat(inbound.get(0).caller().service()).isEqualTo("order-service");
    assertThat(inbound.get(0).denied()).isFalse();
    assertThat(inbound.get(1).status()).isEqualTo(403);
    assertThat(inbound.get(1).denial()).isEqualTo("authorization");
    assertThat(events).contains("denied authorization");
  }
}
