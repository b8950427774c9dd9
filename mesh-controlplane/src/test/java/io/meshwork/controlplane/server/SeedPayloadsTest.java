package io.meshwork.controlplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seeds' walkthrough payloads, sent as JSON by a plain HTTP client. The seeds' own text is not at
 * hand: the payloads are built from the field names of the contract (DESIGN.md), and the seeds'
 * 10.0.x.y addresses are moved to loopback, 127.0.x.y, where this test runs the instances' health
 * endpoints: the control plane's health checks, like everything else here, reach nothing but
 * loopback.
 */
class SeedPayloadsTest {

  @TempDir
  Path directory;

  private TestControlPlane controlPlane;
  private final List<HttpServer> instances = new ArrayList<>();
  private final Map<String, AtomicInteger> healthChecks = new ConcurrentHashMap<>();

  @BeforeEach
  void start() {
    controlPlane = new TestControlPlane(directory);
  }

  @AfterEach
  void stop() {
    instances.forEach(server -> server.stop(0));
    controlPlane.close();
  }

  /** An instance's health endpoint on {@code address} (127.0.x.y), answering 200; returns its port. */
  private int instance(String address) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(address, 0), 0);
    AtomicInteger checks = healthChecks.computeIfAbsent(address, a -> new AtomicInteger());
    server.createContext("/health", exchange -> {
      checks.incrementAndGet();
      byte[] body = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    instances.add(server);
    return server.getAddress().getPort();
  }

  @Test
  void theWalkthroughsPayloadsGetTheSeedsAnswers() throws Exception {
    ApiClient api = controlPlane.admin();
    int user1 = instance("127.0.1.10");
    int user2 = instance("127.0.1.11");
    int order = instance("127.0.2.10");

    // 1. Register services.
    for (String body : List.of(
        "{\"id\":\"user-service-1\",\"service_name\":\"user-service\",\"namespace\":\"default\",\"ip\":\"127.0.1.10\","
            + "\"port\":" + user1 + ",\"protocol\":\"http\",\"health_check_path\":\"/health\",\"weight\":100,"
            + "\"labels\":{\"version\":\"v1\",\"region\":\"us-east\"}}",
        "{\"id\":\"user-service-2\",\"service_name\":\"user-service\",\"namespace\":\"default\",\"ip\":\"127.0.1.11\","
            + "\"port\":" + user2 + ",\"protocol\":\"http\",\"health_check_path\":\"/health\",\"weight\":100,"
            + "\"labels\":{\"version\":\"v2\",\"region\":\"us-east\"}}",
        "{\"id\":\"order-service-1\",\"service_name\":\"order-service\",\"namespace\":\"default\",\"ip\":\"127.0.2.10\","
            + "\"port\":" + order + ",\"protocol\":\"http\",\"health_check_path\":\"/health\",\"weight\":100,"
            + "\"labels\":{\"version\":\"v1\"}}")) {
      ApiClient.Answer answer = api.post("/api/v1/services/register", body);
      assertThat(answer.status()).as(answer.body()).isEqualTo(200);
      assertThat(answer.json().get("status").asText()).isEqualTo("registered");
    }

    // 2. The beta traffic rule.
    ApiClient.Answer rule = api.post("/api/v1/traffic-rules/default/user-service", "{\"match_headers\":{\"version\":\"beta\"},"
        + "\"destination_service\":\"user-service\",\"destination_subset\":\"v2\",\"weight\":100,\"timeout\":\"5s\","
        + "\"retry_attempts\":3,\"circuit_breaker\":{\"max_requests\":100,\"max_pending_requests\":50,"
        + "\"consecutive_errors\":5,\"open_duration\":\"30s\"}}");
    assertThat(rule.json().get("status").asText()).isEqualTo("rule added");

    // 3. The security rule: frontend may GET and POST user-service.
    ApiClient.Answer security = api.post("/api/v1/security-rules", "{\"source_namespace\":\"default\","
        + "\"source_service\":\"frontend\",\"destination_namespace\":\"default\",\"destination_service\":\"user-service\","
        + "\"allowed_methods\":[\"GET\",\"POST\"],\"required_jwt\":false,\"mtls_mode\":\"STRICT\"}");
    assertThat(security.json().get("status").asText()).isEqualTo("security rule added");

    // 4. A certificate through the API, with its SPIFFE SAN.
    JsonNode issued = api.post("/api/v1/certificates/issue", "{\"service_name\":\"user-service\",\"namespace\":\"default\"}").json();
    X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
        new ByteArrayInputStream(issued.get("certificate").asText().getBytes(StandardCharsets.US_ASCII)));
    assertThat(certificate.getSubjectAlternativeNames()).anySatisfy(name ->
        assertThat(List.<Object>copyOf(name)).isEqualTo(List.of(6, "spiffe://cluster.local/ns/default/sa/user-service")));
    assertThat(issued.get("private_key").asText()).contains("PRIVATE KEY");
    assertThat(issued.get("ca_certificate").asText())
        .isEqualTo(controlPlane.anonymous().get("/api/v1/certificates/ca").body());

    // 5 and 6. The registry, and each endpoint's health as the control plane's checks found it.
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode users = api.get("/api/v1/services/default/user-service").json();
    while (users.get("healthy_endpoints").asInt() < 2 && System.nanoTime() < deadline) {
      users = api.get("/api/v1/services/default/user-service").json();
    }
    assertThat(users.get("endpoints").findValuesAsText("status")).containsExactly("healthy", "healthy");
    assertThat(users.get("endpoints").findValuesAsText("ip")).containsExactly("127.0.1.10", "127.0.1.11");
    assertThat(healthChecks.get("127.0.1.10").get()).isPositive();
    JsonNode listed = api.get("/api/v1/services").json();
    List<String> names = new ArrayList<>();
    listed.get("services").forEach(service -> names.add(service.get("service_name").asText()));
    assertThat(names).containsExactly("order-service", "user-service");

    // 7. Metrics.
    deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode registry = api.get("/api/v1/metrics").json().get("registry");
    while (registry.get("healthy_endpoints").asInt() < 3 && System.nanoTime() < deadline) {
      registry = api.get("/api/v1/metrics").json().get("registry");
    }
    assertThat(registry.get("total_services").asInt()).isEqualTo(2);
    assertThat(registry.get("healthy_endpoints").asInt()).isEqualTo(3);
    assertThat(registry.get("unhealthy_endpoints").asInt()).isZero();
    assertThat(registry.get("traffic_rules").asInt()).isEqualTo(1);
    assertThat(registry.get("security_rules").asInt()).isEqualTo(1);

    // 8. Mesh-wide config.
    ApiClient.Answer config = api.post("/api/v1/config", "{\"global_timeout\":\"30s\",\"default_retry_attempts\":3,"
        + "\"circuit_breaker_enabled\":true,\"mtls_mode\":\"STRICT\",\"observability\":{\"tracing_enabled\":true,"
        + "\"metrics_enabled\":true,\"access_log_enabled\":true,\"sampling_rate\":0.1}}");
    assertThat(config.json().get("status").asText()).isEqualTo("config updated");
    JsonNode current = api.get("/api/v1/config").json();
    assertThat(current.get("global_timeout").asText()).isEqualTo("30s");
    assertThat(current.get("observability").get("sampling_rate").asDouble()).isEqualTo(0.1);

    // 9. Envoy's configuration of a service still behind a sidecar; the status.
    ApiClient.Answer envoy = api.get("/api/v1/envoy/configs/frontend");
    assertThat(envoy.body()).contains("user-service|v2", "127.0.1.11", "spiffe://cluster.local/ns/default/sa/user-service");
    assertThat(api.get("/api/v1/status").json().get("status").asText()).isEqualTo("running");
    assertThat(controlPlane.anonymous().get("/health").json().get("status").asText()).isEqualTo("healthy");

    // 10. One instance goes away.
    ApiClient.Answer gone = api.delete("/api/v1/services/default/user-service/user-service-1");
    assertThat(gone.json().get("status").asText()).isEqualTo("deregistered");
    assertThat(api.get("/api/v1/services/default/user-service").json().get("endpoints").findValuesAsText("id"))
        .containsExactly("user-service-2");
  }
}
