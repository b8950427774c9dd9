package io.meshwork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwork.policy.Protocol;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.transport.ClientOptions;
import io.meshwork.transport.TransportClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-process admin endpoint: metrics by Accept header, health, readiness and the health report. */
class AdminEndpointTest {

  private final TestMeshes meshes = new TestMeshes();

  @AfterEach
  void close() {
    meshes.close();
  }

  private MeshResponse get(Mesh mesh, String path, String accept) throws Exception {
    return accept == null ? meshes.admin(mesh, path) : meshes.admin(mesh, path, "accept", accept);
  }

  @Test
  void servesMetricsInTheFormatTheAcceptHeaderAsksForAndTextOtherwise() throws Exception {
    meshes.serveText("user-service", "u");
    Mesh orders = meshes.add(meshes.builder("order-service").admin(0).build());
    meshes.join(orders.call("user-service", MeshRequest.get("/users/1")));

    MeshResponse text = get(orders, "/metrics", null);
    assertThat(text.status()).isEqualTo(200);
    assertThat(text.header("content-type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    assertThat(text.bodyAsString())
        .contains("# TYPE meshwork_client_calls_total counter")
        .contains("meshwork_client_calls_total{outcome=\"success\",route=\"default\",service=\"user-service\"} 1.0")
        .contains("http_client_request_duration_seconds_bucket{");
    MeshResponse unknown = get(orders, "/metrics", "application/x-made-up");
    assertThat(unknown.header("content-type")).isEqualTo(text.header("content-type"));
    MeshResponse openMetrics = get(orders, "/metrics", "application/openmetrics-text; version=1.0.0");
    assertThat(openMetrics.header("content-type")).startsWith("application/openmetrics-text; version=1.0.0");
    assertThat(openMetrics.bodyAsString()).contains("# UNIT http_client_request_duration_seconds seconds")
        .endsWith("# EOF\n");
  }

  @Test
  void answersHealthReadinessAndTheHealthReportAsJson() throws Exception {
    meshes.serveText("user-service", "u");
    Mesh orders = meshes.add(meshes.builder("order-service").admin(0).build());
    meshes.join(orders.call("user-service", MeshRequest.get("/")));
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree(get(orders, "/health", null).bodyAsString()).get("status").asText()).isEqualTo("UP");
    MeshResponse ready = get(orders, "/ready", null);
    assertThat(ready.status()).isEqualTo(200);
    JsonNode report = json.readTree(get(orders, "/health/report", null).bodyAsString());
    assertThat(report.get("service").asText()).isEqualTo("order-service");
    JsonNode users = report.get("destinations").get(0);
    assertThat(users.get("service").asText()).isEqualTo("user-service");
    assertThat(users.get("available").asInt()).isEqualTo(1);
    assertThat(users.get("instances").get(0).get("state").asText()).isEqualTo("available");
    assertThat(users.get("instances").get(0).get("circuit").asText()).isEqualTo("closed");
    assertThat(get(orders, "/nothing", null).status()).isEqualTo(404);
    assertThat(get(orders, "/nothing", null).bodyAsString()).contains("expected: /metrics");
  }

  @Test
  void refusesWritesAndABadPort() throws Exception {
    Mesh orders = meshes.add(meshes.builder("order-service").admin(0).build());
    TransportClient client = meshes.network.client(new ClientOptions("admin", Protocol.HTTP_1_1,
        Duration.ofSeconds(1), 1 << 20));
    ServiceInstance admin = ServiceInstance.builder("admin", "admin").host("127.0.0.1")
        .port(orders.adminPort().getAsInt()).build();
    MeshResponse post = client.send(admin, MeshRequest.post("/metrics", "x"), TimeUnit.SECONDS.toNanos(5))
        .get(5, TimeUnit.SECONDS);
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.header("allow")).isEqualTo("GET, HEAD");
    assertThatThrownBy(() -> Mesh.builder().admin(70000)).hasMessage("admin port: 70000 (expected: 0..65535, 0 for"
        + " any free port)");
    assertThat(meshes.add(meshes.builder("plain").build()).adminPort()).isEmpty();
  }
}
