package io.meshwork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.health.DestinationHealth;
import io.meshwork.health.InstanceHealth;
import io.meshwork.health.InstanceState;
import io.meshwork.loadbalancer.LoadBalancer;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.ServiceInstance;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The API users reach for: request factories, served labels, warm-up, gzip, the health report. */
class MeshApiTest {

  private final TestMeshes meshes = new TestMeshes();

  @AfterEach
  void close() {
    meshes.close();
  }

  @Test
  void everyRequestFactoryReachesTheHandlerWithItsMethodAndBody() {
    List<MeshRequest> seen = new ArrayList<>();
    meshes.serve("user-service", request -> {
      seen.add(request);
      return CompletableFuture.completedFuture(MeshResponse.ok(request.method()));
    });
    Mesh orders = meshes.mesh("order-service", ServicePolicy.defaults());
    List<MeshRequest> requests = List.of(MeshRequest.get("/g"), MeshRequest.post("/p", "post-body"),
        MeshRequest.put("/u", "put-body"), MeshRequest.patch("/a", "patch-body"), MeshRequest.delete("/d"),
        MeshRequest.head("/h"), MeshRequest.options("/o"));
    for (MeshRequest request : requests) {
      assertThat(meshes.join(orders.call("user-service", request)).isSuccessful()).isTrue();
    }
    assertThat(seen).extracting(MeshRequest::method)
        .containsExactly("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    assertThat(seen).extracting(MeshRequest::bodyAsString)
        .containsExactly("", "post-body", "put-body", "patch-body", "", "", "");
    assertThat(MeshRequest.put("/u", "x").isIdempotent()).isTrue();
    assertThat(MeshRequest.patch("/a", "x").isIdempotent()).isFalse();
  }

  @Test
  void addHeaderKeepsEarlierValuesWhereHeaderReplacesThem() {
    MeshRequest request = MeshRequest.builder().header("accept", "a").addHeader("accept", "b").build();
    assertThat(request.headers().getAll("accept")).containsExactly("a", "b");
    assertThat(request.toBuilder().header("accept", "c").build().headers().getAll("accept")).containsExactly("c");
    MeshResponse response = MeshResponse.builder().addHeader("set-cookie", "a=1").addHeader("set-cookie", "b=2").build();
    assertThat(response.headers().getAll("set-cookie")).containsExactly("a=1", "b=2");
    assertThat(MeshResponse.of(204).isSuccessful()).isTrue();
    assertThat(MeshResponse.of(302).isSuccessful()).isFalse();
  }

  @Test
  void serveRegistersTheLabelsAndWeightTheApplicationGives() {
    Mesh users = meshes.add(meshes.builder("user-service").labels(Map.of("version", "v2", "zone", "a"))
        .weight(5).build());
    ServiceInstance served = users.serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok("v2")))
        .instance();
    ServiceInstance registered = meshes.registry.instances("user-service").get(0);
    assertThat(registered).isEqualTo(served);
    assertThat(registered.labels()).containsEntry("version", "v2").containsEntry("zone", "a");
    assertThat(registered.weight()).isEqualTo(5);
    assertThatThrownBy(() -> Mesh.builder().weight(-1)).hasMessageContaining("weight: -1 (expected: 0..");
    assertThatThrownBy(() -> Mesh.builder().labels(Map.of("", "x"))).hasMessageContaining("labels: ''='x'");
  }

  @Test
  void warmUpResolvesEachServiceAndFailsClearlyForOneWithoutInstances() {
    meshes.serveText("user-service", "u");
    Mesh orders = meshes.mesh("order-service", ServicePolicy.defaults());
    assertThat(orders.warmUp("user-service")).isCompleted();
    CompletableFuture<Void> none = orders.warmUp("nobody");
    assertThatThrownBy(none::join).cause().isInstanceOf(NoHealthyInstanceException.class)
        .hasMessage("nobody: warm-up: no healthy instance (0 registered)");
  }

  @Test
  void transparentGzipAsksForGzipAndDecodesItWhenTheCallerDidNot() throws IOException {
    byte[] plain = "hello, compressed world ".repeat(50).getBytes(StandardCharsets.UTF_8);
    byte[] zipped = gzip(plain);
    meshes.serve("user-service", request -> CompletableFuture.completedFuture(
        "gzip".equals(request.header("accept-encoding"))
            ? MeshResponse.builder().header("content-encoding", "gzip")
                .header("content-length", String.valueOf(zipped.length)).body(zipped).build()
            : MeshResponse.builder().body(plain).build()));
    Mesh decoding = meshes.mesh("order-service", ServicePolicy.builder().transparentGzip(true).build());
    MeshResponse decoded = meshes.join(decoding.call("user-service", MeshRequest.get("/")));
    assertThat(decoded.body()).isEqualTo(plain);
    assertThat(decoded.header("content-encoding")).isNull();
    assertThat(decoded.header("content-length")).isNull();

    MeshResponse asked = meshes.join(decoding.call("user-service",
        MeshRequest.builder().path("/").header("accept-encoding", "gzip").build()));
    assertThat(asked.body()).as("a caller that asked itself decodes itself").isEqualTo(zipped);

    Mesh plainMesh = meshes.mesh("billing", ServicePolicy.defaults());
    assertThat(meshes.join(plainMesh.call("user-service", MeshRequest.get("/"))).body()).isEqualTo(plain);
  }

  @Test
  void aGzipBodyThatDecodesPastTheResponseLimitFailsInsteadOfFillingMemory() throws IOException {
    byte[] bomb = gzip(new byte[5_000_000]);
    meshes.serve("user-service", request -> CompletableFuture.completedFuture(
        MeshResponse.builder().header("content-encoding", "gzip").body(bomb).build()));
    Mesh orders = meshes.mesh("order-service", ServicePolicy.builder().transparentGzip(true)
        .maxResponseBytes(1_000_000).build());
    assertThatThrownBy(() -> meshes.join(orders.call("user-service", MeshRequest.get("/"))))
        .cause().isInstanceOf(TransportException.class)
        .hasMessageContaining("decodes to more than the limit of 1000000 bytes");
  }

  @Test
  void theHealthReportSaysEachInstancesStateInWordsWithItsRecentSuccessAndLatency() {
    ServiceInstance good = meshes.serveText("user-service", "g").instance();
    ServiceInstance bad = meshes.serveText("user-service", "b").instance();
    meshes.network.fail(bad, 503);
    Mesh orders = meshes.mesh("order-service", ServicePolicy.builder().loadBalancer(LoadBalancer::roundRobin).build());
    for (int i = 0; i < 10; i++) {
      meshes.join(orders.call("user-service", MeshRequest.get("/")));
    }
    DestinationHealth users = orders.healthReport().destination("user-service");
    InstanceHealth goodHealth = users.instances().stream().filter(i -> i.instance().equals(good)).findFirst().orElseThrow();
    InstanceHealth badHealth = users.instances().stream().filter(i -> i.instance().equals(bad)).findFirst().orElseThrow();
    assertThat(goodHealth.state()).isEqualTo(InstanceState.AVAILABLE);
    assertThat(goodHealth.successRate()).isEqualTo(1.0);
    assertThat(goodHealth.toString()).contains("available, 100.0% success").contains("recent calls");
    assertThat(badHealth.state()).isEqualTo(InstanceState.EJECTED);
    assertThat(badHealth.stateFor()).isPositive();
    assertThat(badHealth.successRate()).isEqualTo(0.0);
    assertThat(badHealth.toString()).containsPattern("ejected for (29\\.\\d|30\\.0) s, 0\\.0% success");
    meshes.ticker.advance(Duration.ofSeconds(25));
    assertThat(orders.healthReport().toString()).containsPattern("ejected for (4\\.\\d|5\\.0) s");
  }

  private static byte[] gzip(byte[] plain) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(plain);
    }
    return out.toByteArray();
  }
}
