package io.meshwork;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.security.AuthorizationPolicy;
import io.meshwork.security.AuthorizationRule;
import io.meshwork.security.CertificateAuthority;
import io.meshwork.telemetry.AccessLogConfig;
import io.meshwork.telemetry.TelemetryConfig;
import io.meshwork.traffic.RateLimit;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The access log's lines, read back from the real logger's output. */
class AccessLogTest {

  private static final TelemetryConfig JSON = TelemetryConfig.builder().accessLog(AccessLogConfig.all().json()).build();

  private final TestMeshes meshes = new TestMeshes();
  private final CertificateAuthority authority = CertificateAuthority.create("cluster.local", meshes.ticker.clock());

  @AfterEach
  void close() {
    meshes.close();
  }

  private Mesh mesh(String service, ServicePolicy policy, TelemetryConfig telemetry) {
    return meshes.add(meshes.builder(service).certificateAuthority(authority).defaultPolicy(policy)
        .telemetry(telemetry).build());
  }

  @Test
  void aSuccessARetryATimeoutA403AndA429EachGetALineThatReadsBack() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    Mesh users = meshes.add(meshes.builder("user-service").certificateAuthority(authority).telemetry(JSON)
        .authorization(AuthorizationPolicy.of(AuthorizationRule.deny("spiffe://cluster.local/ns/default/sa/intruder")))
        .build());
    MeshServer served = users.serve(0, request -> CompletableFuture.completedFuture(switch (request.path()) {
      case "/flaky" -> requests.incrementAndGet() == 1 ? MeshResponse.of(503) : MeshResponse.ok("ok");
      case "/busy" -> MeshResponse.of(429);
      default -> MeshResponse.ok("user-42");
    }));
    Mesh orders = mesh("order-service", ServicePolicy.builder().timeout(Duration.ofMillis(200))
        .rateLimit(RateLimit.of(0.001, 4)).build(), JSON);
    Mesh intruder = mesh("intruder", ServicePolicy.defaults(), JSON);
    try (AccessLogCapture log = new AccessLogCapture()) {
      assertThat(meshes.join(orders.call("user-service", MeshRequest.get("/users/42"))).status()).isEqualTo(200);
      assertThat(meshes.join(orders.call("user-service", MeshRequest.get("/flaky"))).status()).isEqualTo(200);
      assertThat(meshes.join(orders.call("user-service", MeshRequest.get("/busy"))).status()).isEqualTo(429);
      assertThat(meshes.join(intruder.call("user-service", MeshRequest.get("/users/1"))).status()).isEqualTo(403);
      meshes.network.hang(served.instance());
      assertThat(meshes.run(orders.call("user-service", MeshRequest.get("/slow")), Duration.ofSeconds(5)))
          .isCompletedExceptionally();
      assertThat(meshes.run(orders.call("user-service", MeshRequest.get("/limited")), Duration.ofMillis(1)))
          .isCompletedExceptionally();
      List<JsonNode> lines = log.json();

      JsonNode success = line(lines, "outbound", "/users/42");
      assertThat(success.get("status").asInt()).isEqualTo(200);
      assertThat(success.get("response_flags").asText()).isEqualTo("-");
      assertThat(success.get("attempts").asInt()).isEqualTo(1);
      assertThat(success.get("method").asText()).isEqualTo("GET");
      assertThat(success.get("service").asText()).isEqualTo("user-service");
      assertThat(success.get("route").asText()).isEqualTo("default");
      assertThat(success.get("upstream").asText()).isEqualTo(served.instance().address());
      assertThat(success.get("bytes_received").asLong()).isEqualTo("user-42".length());
      assertThat(success.get("trace_id").asText()).matches("[0-9a-f]{32}");
      assertThat(success.get("caller").asText()).isEqualTo("spiffe://cluster.local/ns/default/sa/order-service");
      assertThat(success.get("duration_ms").asDouble()).isGreaterThanOrEqualTo(0);
      assertThat(success.get("start_time").asText()).endsWith("Z");
      JsonNode served42 = line(lines, "inbound", "/users/42");
      assertThat(served42.get("trace_id").asText()).isEqualTo(success.get("trace_id").asText());
      assertThat(served42.get("caller").asText()).isEqualTo("spiffe://cluster.local/ns/default/sa/order-service");
      assertThat(served42.get("bytes_sent").asLong()).isEqualTo("user-42".length());

      JsonNode retried = line(lines, "outbound", "/flaky");
      assertThat(retried.get("status").asInt()).isEqualTo(200);
      assertThat(retried.get("attempts").asInt()).isEqualTo(2);

      JsonNode timedOut = line(lines, "outbound", "/slow");
      assertThat(timedOut.get("status").asInt()).isZero();
      assertThat(timedOut.get("response_flags").asText()).isEqualTo("UT");

      JsonNode forbidden = line(lines, "inbound", "/users/1");
      assertThat(forbidden.get("status").asInt()).isEqualTo(403);
      assertThat(forbidden.get("response_flags").asText()).isEqualTo("UAEX");
      assertThat(forbidden.get("caller").asText()).isEqualTo("spiffe://cluster.local/ns/default/sa/intruder");
      assertThat(line(lines, "outbound", "/users/1").get("status").asInt()).isEqualTo(403);

      JsonNode busy = line(lines, "inbound", "/busy");
      assertThat(busy.get("status").asInt()).isEqualTo(429);
      assertThat(busy.get("response_flags").asText()).isEqualTo("RL");
      JsonNode limited = line(lines, "outbound", "/limited");
      assertThat(limited.get("response_flags").asText()).isEqualTo("RL");
      assertThat(limited.get("attempts").asInt()).isZero();
      assertThat(limited.get("upstream").isNull()).isTrue();
    }
  }

  @Test
  void errorsOnlyLeavesSuccessesOutAndTextLinesFollowEnvoysLayout() {
    meshes.serveText("user-service", "u");
    Mesh orders = meshes.add(meshes.builder("order-service").telemetry(TelemetryConfig.defaults()).build());
    try (AccessLogCapture log = new AccessLogCapture()) {
      meshes.join(orders.call("user-service", MeshRequest.get("/fine")));
      meshes.run(orders.call("nobody", MeshRequest.get("/missing")), Duration.ofSeconds(30));
      List<String> lines = log.lines();
      assertThat(lines).hasSize(1);
      assertThat(lines.get(0)).matches("\\[\\d{4}-\\d\\d-\\d\\dT[^]]+Z] outbound \"GET /missing\" 0 UH 0 0 \\d+ 0"
          + " \"nobody\" \"-\" \"default\" \"[0-9a-f]{32}\" \"spiffe://cluster.local/ns/default/sa/order-service\"");
    }
  }

  @Test
  void aSampledLogKeepsEveryErrorAndItsShareOfTheRest() {
    meshes.serveText("user-service", "u");
    Mesh none = meshes.add(meshes.builder("order-service")
        .telemetry(TelemetryConfig.builder().accessLog(AccessLogConfig.sampled(0.0)).build()).build());
    Mesh every = meshes.add(meshes.builder("billing-service")
        .telemetry(TelemetryConfig.builder().accessLog(AccessLogConfig.sampled(1.0)).build()).build());
    try (AccessLogCapture log = new AccessLogCapture()) {
      for (int i = 0; i < 20; i++) {
        meshes.join(none.call("user-service", MeshRequest.get("/none")));
      }
      meshes.run(none.call("nobody", MeshRequest.get("/error")), Duration.ofSeconds(30));
      meshes.join(every.call("user-service", MeshRequest.get("/every")));
      assertThat(log.lines()).hasSize(2).anySatisfy(line -> assertThat(line).contains("\"GET /error\""))
          .anySatisfy(line -> assertThat(line).contains("\"GET /every\""));
    }
  }

  @Test
  void offWritesNothing() {
    meshes.serveText("user-service", "u");
    Mesh orders = meshes.add(meshes.builder("order-service")
        .telemetry(TelemetryConfig.builder().accessLog(AccessLogConfig.off()).build()).build());
    try (AccessLogCapture log = new AccessLogCapture()) {
      meshes.run(orders.call("nobody", MeshRequest.get("/missing")), Duration.ofSeconds(30));
      assertThat(log.lines()).isEmpty();
    }
  }

  private static JsonNode line(List<JsonNode> lines, String direction, String path) {
    List<JsonNode> found = lines.stream().filter(line -> line.get("direction").asText().equals(direction)
        && line.get("path").asText().equals(path)).toList();
    assertThat(found).as("%s lines of %s in %s", direction, path, lines).hasSize(1);
    return found.get(0);
  }
}
