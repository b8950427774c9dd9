package io.meshwork;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.policy.ServicePolicy;
import io.meshwork.resilience.RetryPolicy;
import io.meshwork.security.AuthorizationPolicy;
import io.meshwork.security.AuthorizationRule;
import io.meshwork.security.CertificateAuthority;
import io.meshwork.telemetry.MetricSeries;
import io.meshwork.telemetry.TelemetryConfig;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The metrics a mesh records of its calls and requests: exact counts, bounded labels. */
class MetricsTest {

  private final TestMeshes meshes = new TestMeshes();

  @AfterEach
  void close() {
    meshes.close();
  }

  @Test
  void everyCallOfManyThreadsIsCountedExactlyOnceOnBothSides() throws Exception {
    Mesh server = meshes.mesh("user-service", ServicePolicy.defaults());
    server.serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok("u")));
    Mesh client = meshes.mesh("order-service", ServicePolicy.defaults());
    int threads = 8;
    int calls = 500;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      done.add(pool.submit(() -> {
        start.await();
        int ok = 0;
        for (int i = 0; i < calls; i++) {
          ok += client.call("user-service", MeshRequest.get("/users/" + i)).get(10, TimeUnit.SECONDS).status() == 200 ? 1 : 0;
        }
        return ok;
      }));
    }
    start.countDown();
    for (Future<Integer> result : done) {
      assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(calls);
    }
    pool.shutdown();
    long total = (long) threads * calls;
    assertThat(Metrics.series(client, "meshwork.client.calls", "service", "user-service", "route", "default",
        "outcome", "success").count()).isEqualTo(total);
    MetricSeries duration = Metrics.series(client, "meshwork.client.call.duration", "service", "user-service",
        "method", "GET", "status", "200", "response_flags", "-");
    assertThat(duration.count()).isEqualTo(total);
    assertThat(java.util.Arrays.stream(duration.bucketCounts()).sum()).isEqualTo(total);
    assertThat(Metrics.series(client, "http.client.request.duration", "http.request.method", "GET",
        "http.response.status_code", "200", "server.address", "user-service").count()).isEqualTo(total);
    assertThat(Metrics.series(client, "meshwork.client.attempts", "outcome", "success").count()).isEqualTo(total);
    assertThat(Metrics.series(server, "http.server.request.duration", "http.request.method", "GET",
        "http.response.status_code", "200").count()).isEqualTo(total);
    assertThat(Metrics.series(server, "meshwork.server.requests", "caller", "unauthenticated").count())
        .isEqualTo(total);
    assertThat(Metrics.series(server, "meshwork.server.in_flight").value()).isZero();
  }

  @Test
  void thePathIsNeverALabelAndMadeUpMethodsShareOne() {
    meshes.serveText("user-service", "u");
    Mesh client = meshes.mesh("order-service", ServicePolicy.defaults());
    for (int i = 0; i < 50; i++) {
      meshes.join(client.call("user-service", MeshRequest.get("/users/" + i)));
      meshes.join(client.call("user-service", MeshRequest.builder().method("BREW" + (char) ('A' + i % 26)).path("/pot").build()));
    }
    assertThat(Metrics.all(client, "meshwork.client.call.duration")).hasSize(2);
    assertThat(Metrics.series(client, "meshwork.client.call.duration", "method", "_OTHER").count()).isEqualTo(50);
    assertThat(scrape(client)).doesNotContain("/users/").doesNotContain("BREW");
  }

  @Test
  void callersPastTheCapAreCountedAsOther() {
    CertificateAuthority authority = CertificateAuthority.create("cluster.local", meshes.ticker.clock());
    Mesh server = meshes.add(meshes.builder("user-service").certificateAuthority(authority)
        .telemetry(TelemetryConfig.builder().maxCallers(2).build())
        .authorization(AuthorizationPolicy.of(AuthorizationRule.deny("spiffe://cluster.local/ns/default/sa/caller-4")))
        .build());
    server.serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok("u")));
    for (int i = 0; i < 5; i++) {
      Mesh caller = meshes.add(meshes.builder("caller-" + i).certificateAuthority(authority).build());
      meshes.join(caller.call("user-service", MeshRequest.get("/")));
    }
    assertThat(Metrics.all(server, "meshwork.server.requests")).extracting(s -> s.labelValues().get(0))
        .containsExactlyInAnyOrder("unauthenticated", "spiffe://cluster.local/ns/default/sa/caller-0",
            "spiffe://cluster.local/ns/default/sa/caller-1", "other");
    assertThat(Metrics.series(server, "meshwork.server.requests", "caller", "other").count()).isEqualTo(3);
    assertThat(Metrics.series(server, "meshwork.server.denied", "caller", "other", "reason", "authorization")
        .count()).isEqualTo(1);
  }

  @Test
  void retriesAreCountedByReasonAndLocalRefusalsByKind() {
    AtomicInteger seen = new AtomicInteger();
    meshes.serve("user-service", request -> CompletableFuture.completedFuture(
        seen.incrementAndGet() == 1 ? MeshResponse.of(503) : MeshResponse.ok("u")));
    Mesh client = meshes.mesh("order-service", ServicePolicy.builder().retry(RetryPolicy.defaults())
        .rateLimit(io.meshwork.traffic.RateLimit.of(1, 1)).build());
    assertThat(meshes.join(client.call("user-service", MeshRequest.get("/"))).status()).isEqualTo(200);
    assertThat(meshes.run(client.call("user-service", MeshRequest.get("/")), java.time.Duration.ZERO.plusMillis(1)))
        .isCompletedExceptionally();
    assertThat(Metrics.series(client, "meshwork.client.retries", "reason", "status_503").count()).isEqualTo(1);
    assertThat(Metrics.series(client, "meshwork.client.attempts", "outcome", "failure").count()).isEqualTo(1);
    assertThat(Metrics.series(client, "meshwork.client.attempts", "outcome", "success").count()).isEqualTo(1);
    assertThat(Metrics.series(client, "meshwork.client.rejections", "reason", "rate_limited").count()).isEqualTo(1);
    assertThat(Metrics.series(client, "meshwork.client.calls", "outcome", "error").count()).isEqualTo(1);
    assertThat(Metrics.series(client, "meshwork.client.call.duration", "response_flags", "RL").count()).isEqualTo(1);
    assertThat(Metrics.series(client, "meshwork.registry.instances", "service", "user-service", "health", "healthy")
        .value()).isEqualTo(1);
    assertThat(Metrics.all(client, "meshwork.circuit.state", "state", "closed")).extracting(MetricSeries::value)
        .containsExactly(1.0);
  }

  @Test
  void metricsOffRecordNothing() {
    meshes.serveText("user-service", "u");
    Mesh client = meshes.add(meshes.builder("order-service").telemetry(TelemetryConfig.off()).build());
    meshes.join(client.call("user-service", MeshRequest.get("/")));
    assertThat(client.metrics().families()).isEmpty();
  }

  private static String scrape(Mesh mesh) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      mesh.metrics().write(out, null);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
