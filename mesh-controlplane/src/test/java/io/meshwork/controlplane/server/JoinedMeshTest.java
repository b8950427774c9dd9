package io.meshwork.controlplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.Mesh;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.time.Instant;
import java.util.Date;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    controlPlane.admin().post("/api/v1/config", "{\"load_balancer\":\"round_robin\"}");
    try (Mesh v1 = join("user-service", Map.of("version", "v1"));
         Mesh v2 = join("user-service", Map.of("version", "v2"));
         Mesh frontend = join("frontend", Map.of())) {
      v1.serve(0, request -> CompletableFuture.completedFuture(handle("v1", request)));
      v2.serve(0, request -> CompletableFuture.completedFuture(handle("v2", request)));
      awaitDiscovered(frontend, "user-service");
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

  @Test
  void aSecurityRuleWithRequiredJwtAsksTheCallerForAValidToken() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("k").generate();
    String jwks = new JWKSet(key.toPublicJWK()).toString();
    ApiClient admin = controlPlane.admin();
    assertThat(admin.post("/api/v1/config", "{\"jwt\":{\"issuer\":\"https://login.test\",\"audiences\":[\"users\"],"
        + "\"jwks\":" + jwks + "}}").status()).isEqualTo(200);
    assertThat(admin.post("/api/v1/security-rules", "{\"source_service\":\"frontend\",\"destination_service\":"
        + "\"user-service\",\"allowed_methods\":[\"GET\",\"POST\"],\"required_jwt\":true}").status()).isEqualTo(200);
    try (Mesh users = join("user-service", Map.of());
         Mesh frontend = join("frontend", Map.of());
         Mesh orders = join("order-service", Map.of())) {
      users.serve(0, request -> CompletableFuture.completedFuture(handle("users", request)));
      awaitDiscovered(frontend, "user-service");
      awaitDiscovered(orders, "user-service");
      String valid = token(key, "users", Instant.now().plusSeconds(300));
      MeshResponse missing = frontend.call("user-service", MeshRequest.get("/users/1")).join();
      assertThat(missing.status()).isEqualTo(401);
      assertThat(missing.header("www-authenticate")).isEqualTo("Bearer realm=\"user-service\"");
      MeshResponse expired = frontend.call("user-service", withToken("GET", token(key, "users",
          Instant.now().minusSeconds(600)))).join();
      assertThat(expired.status()).isEqualTo(401);
      assertThat(expired.header("www-authenticate")).contains("error=\"invalid_token\"").containsIgnoringCase("expired");
      MeshResponse wrongAudience = frontend.call("user-service", withToken("GET", token(key, "billing",
          Instant.now().plusSeconds(300)))).join();
      assertThat(wrongAudience.status()).isEqualTo(401);
      MeshResponse ok = frontend.call("user-service", withToken("GET", valid)).join();
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.bodyAsString()).isEqualTo("users to spiffe://cluster.local/ns/default/sa/frontend");
      MeshResponse delete = frontend.call("user-service", withToken("DELETE", valid)).join();
      assertThat(delete.status()).as("a valid token, but the rule does not allow DELETE").isEqualTo(403);
      MeshResponse unlisted = orders.call("user-service", withToken("GET", valid)).join();
      assertThat(unlisted.status()).as("a valid token from a caller no rule names").isEqualTo(403);
    }
  }

  @Test
  void aControlPlaneThatLostItsStateLearnsTheMeshesInstancesAgainWhenItIsBack() throws Exception {
    controlPlane.close();
    controlPlane = new TestControlPlane(directory, io.meshwork.netty.testing.Ports.free());
    try (Mesh users = join("user-service", Map.of("version", "v1"));
         Mesh frontend = join("frontend", Map.of())) {
      users.serve(0, request -> CompletableFuture.completedFuture(handle("users", request)));
      assertThat(controlPlane.admin().get("/api/v1/services/default/user-service").status()).isEqualTo(200);
      // The frontend has the instance once its watch of the control plane delivered it.
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      int first = 0;
      while (first != 200 && System.nanoTime() < deadline) {
        try {
          first = frontend.call("user-service", MeshRequest.get("/u")).join().status();
        } catch (RuntimeException notYet) {
          first = 0;
        }
      }
      assertThat(first).as("the frontend reaches user-service before the control plane goes").isEqualTo(200);
      controlPlane.stop();
      // Away: the meshes keep their instances, certificates and calls.
      assertThat(frontend.call("user-service", MeshRequest.get("/u")).join().status()).isEqualTo(200);
      java.nio.file.Files.delete(directory.resolve("state.json")); // rules, tokens, registrations: gone
      controlPlane.restart();
      deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      int status = 404;
      while (status != 200 && System.nanoTime() < deadline) {
        status = controlPlane.admin().get("/api/v1/services/default/user-service").status();
      }
      assertThat(status).as("user-service registered again by its mesh, over mTLS, its bootstrap token forgotten")
          .isEqualTo(200);
      // Callers learn it back from the control plane's next state.
      deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      String answer = "";
      while (!answer.startsWith("users") && System.nanoTime() < deadline) {
        try {
          answer = frontend.call("user-service", MeshRequest.get("/u")).join().bodyAsString();
        } catch (RuntimeException notYet) {
          answer = notYet.toString();
        }
      }
      assertThat(answer).isEqualTo("users to spiffe://cluster.local/ns/default/sa/frontend");
    }
  }

  /** Waits, with a bound, until {@code caller} has heard from the control plane of an instance of {@code service}. */
  private static void awaitDiscovered(Mesh caller, String service) throws Exception {
    CountDownLatch heard = new CountDownLatch(1);
    try (var watch = caller.registry().watch(service, instances -> {
      if (!instances.isEmpty()) {
        heard.countDown();
      }
    })) {
      assertThat(heard.await(30, TimeUnit.SECONDS)).as("%s hears of an instance of %s", caller, service).isTrue();
    }
    caller.warmUp(service).get(30, TimeUnit.SECONDS);
  }

  private static MeshRequest withToken(String method, String token) {
    return MeshRequest.builder().method(method).path("/users/1").header("authorization", "Bearer " + token).build();
  }

  private static String token(RSAKey key, String audience, Instant expiry) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k").build(),
        new JWTClaimsSet.Builder().issuer("https://login.test").audience(audience).subject("alice")
            .expirationTime(Date.from(expiry)).build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }
}
