package io.meshwork.controlplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.Mesh;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Meshes that join a control plane over real sockets: CSR certificates, discovery, rules that take effect. */
class JoinedMeshTest {

  @TempDir
  Path directory;

  private TestControlPlane controlPlane;

  @BeforeEach
  void start() {
    controlPlane = new TestControlPlane(directory);
  }

  @AfterEach
  void stop() {
    controlPlane.close();
  }

  private Mesh join(String service, Map<String, String> labels) {
    URI uri = controlPlane.server().uri();
    return Mesh.builder().service(service).labels(labels)
        .controlPlane(uri, controlPlane.bootstrapToken("default", service)).build();
  }

  private static MeshResponse handle(String name, MeshRequest request) {
    return MeshResponse.ok(name + " to " + request.peerIdentity().map(Object::toString).orElse("nobody"));
  }

  @Test
  void joinedMeshesCallEachOtherOverMtlsAndFollowTrafficRules() throws Exception {
    try (Mesh v1 = join("user-service", Map.of("version", "v1"));
         Mesh v2 = join("user-service", Map.of("version", "v2"));
         Mesh frontend = join("frontend", Map.of())) {
      v1.serve(0, request -> CompletableFuture.completedFuture(handle("v1", request)));
      v2.serve(0, request -> CompletableFuture.completedFuture(handle("v2", request)));
      Set<String> seen = new HashSet<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (seen.size() < 2 && System.nanoTime() < deadline) {
        MeshResponse answer = frontend.call("user-service", MeshRequest.get("/users/1")).join();
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.bodyAsString()).endsWith("to spiffe://cluster.local/ns/default/sa/frontend");
        seen.add(answer.bodyAsString().substring(0, 2));
      }
      assertThat(seen).containsExactlyInAnyOrder("v1", "v2");

      ApiClient.Answer added = controlPlane.admin().post("/api/v1/traffic-rules/default/user-service",
          "{\"match_headers\":{\"version\":\"beta\"},\"destination_subset\":\"v2\"}");
      assertThat(added.json().get("status").asText()).isEqualTo("rule added");
      MeshRequest beta = MeshRequest.builder().method("GET").path("/users/1").header("version", "beta").build();
      deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      int onV2 = 0;
      while (onV2 < 10 && System.nanoTime() < deadline) {
        String body = frontend.call("user-service", beta).join().bodyAsString();
        onV2 = body.startsWith("v2") ? onV2 + 1 : 0;
      }
      assertThat(onV2).isEqualTo(10);
    }
  }
}
