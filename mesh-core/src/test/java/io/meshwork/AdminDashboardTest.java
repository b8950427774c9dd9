package io.meshwork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwork.config.MeshConfig;
import io.meshwork.loadbalancer.LoadBalancer;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.MtlsMode;
import io.meshwork.telemetry.TelemetryConfig;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the admin endpoint serves for the dashboard: its files, the config and its history, the certificate, the traffic. */
class AdminDashboardTest {

  private final TestMeshes meshes = new TestMeshes();
  private final ObjectMapper json = new ObjectMapper();

  @AfterEach
  void close() {
    meshes.close();
  }

  private JsonNode getJson(Mesh mesh, String path) throws Exception {
    MeshResponse answer = meshes.admin(mesh, path);
    assertThat(answer.status()).as(answer.bodyAsString()).isEqualTo(200);
    assertThat(answer.header("content-type")).isEqualTo("application/json");
    assertThat(answer.header("cache-control")).isEqualTo("no-store");
    return json.readTree(answer.bodyAsString());
  }

  @Test
  void servesTheDashboardsFilesWithTheirTypesAndRevalidationTags() throws Exception {
    Mesh orders = meshes.add(meshes.builder("order-service").admin(0).build());
    MeshResponse bare = meshes.admin(orders, "/dashboard");
    assertThat(bare.status()).isEqualTo(301);
    assertThat(bare.header("location")).isEqualTo("/dashboard/");
    MeshResponse index = meshes.admin(orders, "/dashboard/");
    assertThat(index.status()).isEqualTo(200);
    assertThat(index.header("content-type")).isEqualTo("text/html; charset=utf-8");
    assertThat(index.header("content-security-policy")).contains("script-src 'self'").contains("connect-src 'self'");
    assertThat(index.bodyAsString()).contains("<main id=\"main\"").contains("aria-live=\"polite\"")
        .contains("<nav aria-label=");
    assertThat(meshes.admin(orders, "/dashboard/app.js").header("content-type"))
        .isEqualTo("text/javascript; charset=utf-8");
    assertThat(meshes.admin(orders, "/dashboard/uplot.iife.min.js").bodyAsString()).startsWith("/*! https://github.com/leeoniya/uPlot (v1.6.32)");
    assertThat(meshes.admin(orders, "/dashboard/uplot-LICENSE.txt").bodyAsString()).contains("The MIT License");
    MeshResponse css = meshes.admin(orders, "/dashboard/dashboard.css");
    assertThat(css.header("content-type")).isEqualTo("text/css; charset=utf-8");
    MeshResponse again = meshes.admin(orders, "/dashboard/dashboard.css", "if-none-match", css.header("etag"));
    assertThat(again.status()).isEqualTo(304);
    assertThat(again.bodyLength()).isZero();
    assertThat(meshes.admin(orders, "/dashboard/missing.js").status()).isEqualTo(404);
    assertThat(meshes.admin(orders, "/dashboard/../metrics").status()).isEqualTo(404);
    assertThat(meshes.admin(orders, "/dashboard/app").status()).as("no type, no file").isEqualTo(404);
    JsonNode view = getJson(orders, "/dashboard/view.json");
    assertThat(view.get("view").asText()).isEqualTo("process");
    assertThat(view.get("service").asText()).isEqualTo("order-service");
  }

  @Test
  void theHealthReportCarriesEachInstancesLabelsAndWeight() throws Exception {
    meshes.add(meshes.builder("user-service").labels(Map.of("version", "v2")).weight(30).build())
        .serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok("u")));
    Mesh orders = meshes.add(meshes.builder("order-service").admin(0).build());
    meshes.join(orders.call("user-service", MeshRequest.get("/")));
    JsonNode instance = getJson(orders, "/health/report").get("destinations").get(0).get("instances").get(0);
    assertThat(instance.get("labels").get("version").asText()).isEqualTo("v2");
    assertThat(instance.get("weight").asInt()).isEqualTo(30);
    assertThat(instance.get("namespace").asText()).isEqualTo("default");
  }

  @Test
  void answersTheConfigInForceAndTheChangesItAppliedAndRefused() throws Exception {
    Mesh orders = meshes.add(meshes.builder("order-service").admin(0).build());
    orders.apply(MeshConfig.builder().service("user-service", ServicePolicy.builder().timeout(Duration.ofSeconds(2))
        .build()).build());
    assertThatThrownBy(() -> orders.apply(MeshConfig.builder().mtls(MtlsMode.STRICT).build()))
        .isInstanceOf(InvalidConfigurationException.class);
    JsonNode answer = getJson(orders, "/config");
    assertThat(answer.get("yaml").asText()).contains("user-service:").contains("timeout: 2s");
    assertThat(answer.get("config").get("services").get("user-service").get("timeout").asText()).isEqualTo("2s");
    assertThat(answer.get("mtls").asText()).isEqualTo("DISABLED");
    JsonNode history = answer.get("history");
    assertThat(history).hasSize(3);
    assertThat(history.get(0).get("outcome").asText()).isEqualTo("built");
    assertThat(history.get(1).get("outcome").asText()).isEqualTo("applied");
    assertThat(history.get(1).get("source").asText()).isEqualTo("Mesh.apply");
    assertThat(history.get(1).get("detail").asText()).isEqualTo("services added [user-service]");
    assertThat(history.get(2).get("outcome").asText()).isEqualTo("rejected");
    assertThat(history.get(2).get("detail").asText()).contains("mtls: STRICT (expected: DISABLED");
    assertThat(answer.get("history_limit").asInt()).isEqualTo(50);
    assertThat(answer.get("history_dropped").asLong()).isZero();
  }

  @Test
  void aConfigThatYamlCannotHoldIsAnsweredWithTheReason() throws Exception {
    Mesh orders = meshes.add(meshes.builder("order-service").admin(0)
        .defaultPolicy(ServicePolicy.builder().loadBalancer(LoadBalancer::random).build()).build());
    JsonNode answer = getJson(orders, "/config");
    assertThat(answer.get("yaml").isNull()).isTrue();
    assertThat(answer.get("config").isNull()).isTrue();
    assertThat(answer.get("problem").asText()).contains("defaultPolicy.loadBalancer");
    assertThat(answer.get("history")).hasSize(1);
  }

  @Test
  void answersItsCertificateItsExpiryAndWhetherItWasRevoked() throws Exception {
    CertificateAuthority authority = CertificateAuthority.create("cluster.local", Clock.systemUTC());
    Mesh orders = meshes.add(meshes.builder("order-service").certificateAuthority(authority).admin(0).build());
    JsonNode answer = getJson(orders, "/certificate");
    assertThat(answer.get("mtls").asText()).isEqualTo("STRICT");
    assertThat(answer.get("trust_domain").asText()).isEqualTo("cluster.local");
    JsonNode certificate = answer.get("certificate");
    assertThat(certificate.get("identity").asText()).isEqualTo("spiffe://cluster.local/ns/default/sa/order-service");
    assertThat(certificate.get("revoked").asBoolean()).isFalse();
    assertThat(certificate.get("expires_in_seconds").asLong()).isBetween(86_000L, 86_400L);
    assertThat(answer.get("trust_anchors")).hasSize(1);
    authority.revoke(new BigInteger(certificate.get("serial").asText(), 16));
    assertThat(getJson(orders, "/certificate").get("certificate").get("revoked").asBoolean()).isTrue();

    Mesh plain = meshes.add(meshes.builder("plain").admin(0).build());
    JsonNode none = getJson(plain, "/certificate");
    assertThat(none.get("mtls").asText()).isEqualTo("DISABLED");
    assertThat(none.get("certificate").isNull()).isTrue();
  }

  @Test
  void answersTheTrafficOfEachIntervalForTheServedRequestsAndEachDestination() throws Exception {
    Mesh users = meshes.add(meshes.builder("user-service").admin(0).build());
    users.serve(0, request -> CompletableFuture.completedFuture(request.path().equals("/bad")
        ? MeshResponse.builder().status(500).body("no").build() : MeshResponse.ok("u")));
    Mesh orders = meshes.add(meshes.builder("order-service").admin(0)
        .defaultPolicy(ServicePolicy.builder().retry(io.meshwork.resilience.RetryPolicy.none()).build()).build());
    for (int i = 0; i < 3; i++) {
      meshes.join(orders.call("user-service", MeshRequest.get("/users/" + i)));
    }
    meshes.join(orders.call("user-service", MeshRequest.get("/bad")));
    meshes.ticker.advance(Duration.ofSeconds(5)); // one sample
    JsonNode traffic = getJson(orders, "/traffic");
    assertThat(traffic.get("interval_seconds").asDouble()).isEqualTo(5.0);
    assertThat(traffic.get("window_seconds").asLong()).isEqualTo(600);
    JsonNode calls = traffic.get("destinations").get(0);
    assertThat(calls.get("name").asText()).isEqualTo("user-service");
    assertThat(calls.get("rate")).hasSize(1);
    assertThat(calls.get("rate").get(0).asDouble()).isCloseTo(0.8, within(0.01));
    assertThat(calls.get("success").get(0).asDouble()).isEqualTo(0.75);
    assertThat(calls.get("p99_ms").get(0).asDouble()).isGreaterThanOrEqualTo(calls.get("p50_ms").get(0).asDouble());
    JsonNode served = getJson(users, "/traffic");
    assertThat(served.get("inbound").get("name").asText()).isEqualTo("user-service");
    assertThat(served.get("inbound").get("rate").get(0).asDouble()).isCloseTo(0.8, within(0.01));
    assertThat(served.get("callers").get(0).get("caller").asText()).isEqualTo("unauthenticated");
    assertThat(served.get("callers").get(0).get("total").asLong()).isEqualTo(4);

    meshes.ticker.advance(Duration.ofSeconds(5)); // a quiet interval
    calls = getJson(orders, "/traffic").get("destinations").get(0);
    assertThat(calls.get("rate").get(1).asDouble()).isZero();
    assertThat(calls.get("success").get(1).isNull()).as("no request, no success rate").isTrue();
    assertThat(calls.get("t").get(1).asDouble() - calls.get("t").get(0).asDouble()).isCloseTo(5.0, within(0.01));
  }

  @Test
  void saysSoWhenMetricsAreOff() throws Exception {
    Mesh quiet = meshes.add(meshes.builder("quiet").admin(0).telemetry(TelemetryConfig.off()).build());
    JsonNode traffic = getJson(quiet, "/traffic");
    assertThat(traffic.get("metrics").asBoolean()).isFalse();
    assertThat(meshes.admin(quiet, "/").bodyAsString()).contains("/traffic").contains("/dashboard/");
  }
}
