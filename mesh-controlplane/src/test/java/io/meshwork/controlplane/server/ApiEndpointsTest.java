package io.meshwork.controlplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every endpoint of the API through a plain HTTP client: good input, each malformed field (a 400 naming
 * the field, the value and what was expected), no token, a wrong token, a workload's token where an
 * admin's is needed.
 */
class ApiEndpointsTest {

  @TempDir
  static Path directory;

  private static TestControlPlane controlPlane;
  private static ApiClient admin;

  @BeforeAll
  static void start() {
    controlPlane = new TestControlPlane(directory);
    admin = controlPlane.admin();
  }

  @AfterAll
  static void stop() {
    controlPlane.close();
  }

  private static String registration(String id, String ip, int port) {
    return "{\"id\":\"" + id + "\",\"service_name\":\"catalog\",\"namespace\":\"shop\",\"ip\":\"" + ip
        + "\",\"port\":" + port + ",\"protocol\":\"http\",\"weight\":10,\"labels\":{\"version\":\"v1\"}}";
  }

  @Test
  void registersListsAndDeregistersAService() {
    ApiClient.Answer registered = admin.post("/api/v1/services/register", registration("c1", "127.0.3.1", 9301));
    assertThat(registered.status()).isEqualTo(200);
    assertThat(registered.json().get("status").asText()).isEqualTo("registered");
    assertThat(registered.json().get("id").asText()).isEqualTo("c1");
    JsonNode service = admin.get("/api/v1/services/shop/catalog").json();
    assertThat(service.get("service_name").asText()).isEqualTo("catalog");
    JsonNode endpoint = service.get("endpoints").get(0);
    assertThat(endpoint.get("ip").asText()).isEqualTo("127.0.3.1");
    assertThat(endpoint.get("port").asInt()).isEqualTo(9301);
    assertThat(endpoint.get("weight").asInt()).isEqualTo(10);
    assertThat(endpoint.get("labels").get("version").asText()).isEqualTo("v1");
    assertThat(endpoint.get("status").asText()).isIn("unknown", "unhealthy");
    JsonNode all = admin.get("/api/v1/services").json();
    assertThat(all.get("services").findValuesAsText("service_name")).contains("catalog");
    ApiClient.Answer deregistered = admin.delete("/api/v1/services/shop/catalog/c1");
    assertThat(deregistered.json().get("status").asText()).isEqualTo("deregistered");
    assertThat(admin.get("/api/v1/services/shop/catalog").status()).isEqualTo(404);
    assertThat(admin.delete("/api/v1/services/shop/catalog/c1").status()).isEqualTo(404);
  }

  @Test
  void nothingListensAtARegisteredAddressSoItsHealthCheckMakesItUnhealthy() throws Exception {
    admin.post("/api/v1/services/register", registration("c2", "127.0.3.2", 9)); // port 9 (discard): closed here
    long deadline = System.nanoTime() + 20_000_000_000L;
    String status = "unknown";
    while (!status.equals("unhealthy") && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      JsonNode endpoints = admin.get("/api/v1/services/shop/catalog").json().get("endpoints");
      for (JsonNode endpoint : endpoints) {
        if (endpoint.get("id").asText().equals("c2")) {
          status = endpoint.get("status").asText();
        }
      }
    }
    assertThat(status).isEqualTo("unhealthy");
    JsonNode metrics = admin.get("/api/v1/metrics").json().get("registry");
    assertThat(metrics.get("unhealthy_endpoints").asInt()).isGreaterThanOrEqualTo(1);
    admin.delete("/api/v1/services/shop/catalog/c2");
  }

  @Test
  void addsListsAndDeletesTrafficRules() {
    ApiClient.Answer added = admin.post("/api/v1/traffic-rules/shop/catalog", "{\"match_headers\":{\"version\":\"beta\"},"
        + "\"match_path\":\"/items\",\"match_method\":\"GET\",\"destination_service\":\"catalog\","
        + "\"destination_subset\":\"v2\",\"weight\":100,\"timeout\":\"2s\",\"retry_attempts\":2,"
        + "\"circuit_breaker\":{\"max_requests\":100,\"max_pending_requests\":10,\"consecutive_errors\":3,"
        + "\"open_duration\":\"20s\"}}");
    assertThat(added.status()).as(added.body()).isEqualTo(200);
    assertThat(added.json().get("status").asText()).isEqualTo("rule added");
    String id = added.json().get("id").asText();
    JsonNode rules = admin.get("/api/v1/traffic-rules/shop/catalog").json().get("rules");
    assertThat(rules).hasSize(1);
    assertThat(rules.get(0).get("destination_subset").asText()).isEqualTo("v2");
    assertThat(rules.get(0).get("circuit_breaker").get("max_requests").asInt()).isEqualTo(100);
    assertThat(admin.delete("/api/v1/traffic-rules/shop/catalog/" + id).json().get("status").asText())
        .isEqualTo("rule deleted");
    assertThat(admin.get("/api/v1/traffic-rules/shop/catalog").json().get("rules")).isEmpty();
    assertThat(admin.delete("/api/v1/traffic-rules/shop/catalog/" + id).status()).isEqualTo(404);
  }

  @Test
  void addsListsAndDeletesSecurityRules() {
    ApiClient.Answer added = admin.post("/api/v1/security-rules", "{\"source_namespace\":\"shop\","
        + "\"source_service\":\"web\",\"destination_namespace\":\"shop\",\"destination_service\":\"catalog\","
        + "\"allowed_methods\":[\"GET\",\"POST\"],\"required_jwt\":false,\"mtls_mode\":\"STRICT\"}");
    assertThat(added.status()).as(added.body()).isEqualTo(200);
    assertThat(added.json().get("status").asText()).isEqualTo("security rule added");
    String id = added.json().get("id").asText();
    JsonNode rule = admin.get("/api/v1/security-rules").json().get("rules").get(0);
    assertThat(rule.get("allowed_methods").toString()).isEqualTo("[\"GET\",\"POST\"]");
    assertThat(admin.delete("/api/v1/security-rules/" + id).json().get("status").asText())
        .isEqualTo("security rule deleted");
  }

  @Test
  void aSecurityRuleRequiringJwtNeedsJwtSettingsFirst() {
    ApiClient.Answer refused = admin.post("/api/v1/security-rules",
        "{\"source_service\":\"web\",\"destination_service\":\"catalog\",\"required_jwt\":true}");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("field").asText()).isEqualTo("required_jwt");
  }

  @Test
  void updatesTheConfigFieldByField() {
    ApiClient.Answer updated = admin.post("/api/v1/config", "{\"global_timeout\":\"7s\",\"default_retry_attempts\":2,"
        + "\"circuit_breaker_enabled\":true,\"mtls_mode\":\"STRICT\",\"observability\":{\"tracing_enabled\":true,"
        + "\"sampling_rate\":0.5}}");
    assertThat(updated.status()).as(updated.body()).isEqualTo(200);
    assertThat(updated.json().get("status").asText()).isEqualTo("config updated");
    admin.post("/api/v1/config", "{\"observability\":{\"metrics_enabled\":false},\"default_retry_attempts\":null}");
    JsonNode config = admin.get("/api/v1/config").json();
    assertThat(config.get("global_timeout").asText()).isEqualTo("7s");
    assertThat(config.has("default_retry_attempts")).isFalse();
    assertThat(config.get("observability").get("tracing_enabled").asBoolean()).isTrue();
    assertThat(config.get("observability").get("metrics_enabled").asBoolean()).isFalse();
    admin.post("/api/v1/config", "{\"global_timeout\":null,\"mtls_mode\":null,\"observability\":null,"
        + "\"circuit_breaker_enabled\":null}");
    assertThat(admin.get("/api/v1/config").body()).isEqualTo("{}");
  }

  @Test
  void signsACsrForTheIdentityABootstrapTokenAllows() throws Exception {
    String token = controlPlane.bootstrapToken("shop", "catalog");
    ApiClient workload = admin.withToken(token);
    KeyPair keys = Csrs.keys();
    ApiClient.Answer signed = workload.post("/api/v1/certificates/sign", "{\"csr\":"
        + Csrs.json(Csrs.pem("spiffe://cluster.local/ns/shop/sa/catalog", keys, null)) + ",\"ttl\":\"1h\"}");
    assertThat(signed.status()).as(signed.body()).isEqualTo(200);
    X509Certificate leaf = certificate(signed.json().get("certificate").asText());
    assertThat(leaf.getPublicKey()).isEqualTo(keys.getPublic());
    assertThat(leaf.getSubjectAlternativeNames()).anySatisfy(name ->
        assertThat(name.get(1)).isEqualTo("spiffe://cluster.local/ns/shop/sa/catalog"));
    X509Certificate root = certificate(controlPlane.anonymous().get("/api/v1/certificates/ca").body());
    leaf.verify(root.getPublicKey());
    assertThat(signed.json().get("control_plane_identity").asText())
        .isEqualTo("spiffe://cluster.local/ns/meshwork-system/sa/mesh-controlplane");
    assertThat(signed.json().has("private_key")).isFalse();
    ApiClient.Answer other = workload.post("/api/v1/certificates/sign", "{\"csr\":"
        + Csrs.json(Csrs.pem("spiffe://cluster.local/ns/shop/sa/payments", keys, null)) + "}");
    assertThat(other.status()).isEqualTo(403);
    ApiClient.Answer forged = workload.post("/api/v1/certificates/sign", "{\"csr\":"
        + Csrs.json(Csrs.pem("spiffe://cluster.local/ns/shop/sa/catalog", keys, Csrs.keys())) + "}");
    assertThat(forged.status()).isEqualTo(400);
    assertThat(forged.json().get("field").asText()).isEqualTo("csr");
    ApiClient.Answer foreign = workload.post("/api/v1/certificates/sign", "{\"csr\":"
        + Csrs.json(Csrs.pem("spiffe://elsewhere/ns/shop/sa/catalog", keys, null)) + "}");
    assertThat(foreign.json().get("expected").asText()).contains("trust domain cluster.local");
    ApiClient.Answer noSan = workload.post("/api/v1/certificates/sign", "{\"csr\":" + Csrs.json(Csrs.pem(null, keys, null)) + "}");
    assertThat(noSan.json().get("expected").asText()).contains("exactly one URI SAN");
  }

  @Test
  void issuesListsAndRevokesCertificates() throws Exception {
    ApiClient.Answer issued = admin.post("/api/v1/certificates/issue", "{\"service_name\":\"search\",\"namespace\":\"shop\"}");
    assertThat(issued.status()).as(issued.body()).isEqualTo(200);
    assertThat(issued.json().get("private_key").asText()).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(issued.json().get("ca_certificate").asText()).startsWith("-----BEGIN CERTIFICATE-----");
    X509Certificate leaf = certificate(issued.json().get("certificate").asText());
    String serial = leaf.getSerialNumber().toString(16);
    assertThat(issued.json().get("serial").asText()).isEqualTo(serial);
    JsonNode listed = admin.get("/api/v1/certificates?namespace=shop&service_name=search").json().get("certificates");
    assertThat(listed.findValuesAsText("serial")).contains(serial);
    ApiClient.Answer revoked = admin.delete("/api/v1/certificates/" + serial);
    assertThat(revoked.json().get("status").asText()).isEqualTo("revoked");
    String crl = controlPlane.anonymous().get("/api/v1/certificates/crl").body();
    var parsed = (java.security.cert.X509CRL) CertificateFactory.getInstance("X.509").generateCRL(
        new ByteArrayInputStream(crl.getBytes(StandardCharsets.US_ASCII)));
    assertThat(parsed.isRevoked(leaf)).isTrue();
    admin.post("/api/v1/certificates/issue", "{\"service_name\":\"search\",\"namespace\":\"shop\"}");
    ApiClient.Answer byIdentity = admin.delete("/api/v1/certificates/identity/shop/search");
    assertThat(byIdentity.json().get("serials")).hasSize(1);
    assertThat(admin.get("/api/v1/certificates?service_name=search").json().get("certificates").findValuesAsText("revoked_at"))
        .hasSize(2);
    assertThat(admin.delete("/api/v1/certificates/abc123").status()).isEqualTo(404);
    assertThat(admin.delete("/api/v1/certificates/xyz").json().get("field").asText()).isEqualTo("serial");
  }

  @Test
  void makesListsAndDeletesBootstrapTokens() {
    ApiClient.Answer made = admin.post("/api/v1/bootstrap-tokens", "{\"service_name\":\"*\",\"namespace\":\"shop\",\"ttl\":\"1h\"}");
    assertThat(made.json().get("status").asText()).isEqualTo("token created");
    String id = made.json().get("id").asText();
    assertThat(made.json().get("token").asText()).startsWith(id + ".");
    String listed = admin.get("/api/v1/bootstrap-tokens").body();
    assertThat(listed).contains(id).doesNotContain(made.json().get("token").asText().substring(id.length() + 1))
        .doesNotContain("hash");
    assertThat(admin.delete("/api/v1/bootstrap-tokens/" + id).json().get("status").asText()).isEqualTo("token deleted");
    ApiClient.Answer gone = admin.withToken(made.json().get("token").asText()).get("/api/v1/status");
    assertThat(gone.status()).isEqualTo(401);
  }

  @Test
  void reportsHealthStatusAndMetrics() {
    assertThat(controlPlane.anonymous().get("/health").json().get("status").asText()).isEqualTo("healthy");
    JsonNode status = admin.get("/api/v1/status").json();
    assertThat(status.get("status").asText()).isEqualTo("running");
    assertThat(status.get("ca_fingerprint").asText()).isEqualTo(controlPlane.server().caFingerprint());
    JsonNode registry = admin.get("/api/v1/metrics").json().get("registry");
    for (String field : List.of("total_services", "healthy_endpoints", "unhealthy_endpoints", "traffic_rules",
        "security_rules")) {
      assertThat(registry.has(field)).as(field).isTrue();
    }
    ApiClient.Answer prometheus = admin.get("/metrics");
    assertThat(prometheus.contentType()).startsWith("text/plain; version=0.0.4");
    assertThat(prometheus.body()).contains("# TYPE meshwork_controlplane_services gauge");
  }

  @Test
  void exportsEnvoyAndNginxConfigs() {
    admin.post("/api/v1/services/register", registration("c9", "127.0.3.9", 9309));
    ApiClient.Answer yaml = admin.get("/api/v1/envoy/configs/web?namespace=shop");
    assertThat(yaml.contentType()).startsWith("application/yaml");
    assertThat(yaml.body()).contains("static_resources:");
    assertThat(admin.get("/api/v1/envoy/configs/web?namespace=shop", "application/json").json()
        .get("static_resources").get("clusters")).isNotEmpty();
    assertThat(admin.get("/api/v1/nginx/configs/catalog?namespace=shop&listen=127.0.0.1:8088").body())
        .contains("upstream catalog {", "server 127.0.3.9:9309 weight=10");
    assertThat(admin.get("/api/v1/nginx/configs/nothing").status()).isEqualTo(404);
    assertThat(admin.get("/api/v1/nginx/configs/catalog?namespace=shop&listen=80;evil").json().get("field").asText())
        .isEqualTo("listen");
    assertThat(admin.get("/api/v1/envoy/configs/web?cert_dir=../x").json().get("field").asText()).isEqualTo("cert_dir");
    admin.delete("/api/v1/services/shop/catalog/c9");
  }

  @Test
  void theWatchAnswersAtOnceThenWaitsForTheNextRevision() {
    JsonNode now = admin.get("/api/v1/watch").json();
    String revision = now.get("revision").asText();
    assertThat(now.has("crl")).isTrue();
    ApiClient.Answer same = admin.get("/api/v1/watch?revision=" + revision + "&wait=100ms");
    assertThat(same.status()).isEqualTo(304);
    assertThat(admin.get("/api/v1/watch?revision=NOT").json().get("field").asText()).isEqualTo("revision");
    assertThat(admin.get("/api/v1/watch?wait=2m").json().get("field").asText()).isEqualTo("wait");
  }

  /** Every endpoint that needs a token, with a body good enough to get past the parsing. */
  static Stream<Arguments> protectedEndpoints() {
    return Stream.of(
        Arguments.of("POST", "/api/v1/services/register", registration("x", "127.0.3.3", 1), false),
        Arguments.of("DELETE", "/api/v1/services/shop/catalog/x", null, false),
        Arguments.of("POST", "/api/v1/traffic-rules/shop/catalog", "{}", true),
        Arguments.of("DELETE", "/api/v1/traffic-rules/shop/catalog/x", null, true),
        Arguments.of("POST", "/api/v1/security-rules", "{\"source_service\":\"a\",\"destination_service\":\"b\"}", true),
        Arguments.of("DELETE", "/api/v1/security-rules/x", null, true),
        Arguments.of("POST", "/api/v1/config", "{}", true),
        Arguments.of("POST", "/api/v1/certificates/issue", "{\"service_name\":\"a\"}", true),
        Arguments.of("POST", "/api/v1/certificates/sign", "{\"csr\":\"x\"}", false),
        Arguments.of("DELETE", "/api/v1/certificates/abc", null, true),
        Arguments.of("DELETE", "/api/v1/certificates/identity/shop/catalog", null, true),
        Arguments.of("POST", "/api/v1/bootstrap-tokens", "{\"service_name\":\"a\"}", true),
        Arguments.of("GET", "/api/v1/bootstrap-tokens", null, true),
        Arguments.of("DELETE", "/api/v1/bootstrap-tokens/x", null, true));
  }

  private static ApiClient.Answer send(ApiClient client, String method, String path, String body) {
    return switch (method) {
      case "POST" -> client.post(path, body);
      case "DELETE" -> client.delete(path);
      default -> client.get(path);
    };
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("protectedEndpoints")
  void withoutATokenIsUnauthorized(String method, String path, String body, boolean adminOnly) {
    ApiClient.Answer answer = send(controlPlane.anonymous(), method, path, body);
    assertThat(answer.status()).as(answer.body()).isEqualTo(401);
    assertThat(answer.challenge()).isEqualTo("Bearer realm=\"meshwork-controlplane\"");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("protectedEndpoints")
  void withAWrongTokenIsUnauthorized(String method, String path, String body, boolean adminOnly) {
    ApiClient.Answer answer = send(admin.withToken("mwa_not-the-token-at-all"), method, path, body);
    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.challenge()).contains("error=\"invalid_token\"");
    assertThat(answer.json().get("error").asText()).contains("not a token of this control plane");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("protectedEndpoints")
  void withAnotherWorkloadsTokenIsForbidden(String method, String path, String body, boolean adminOnly) {
    ApiClient workload = admin.withToken(controlPlane.bootstrapToken("other", "intruder"));
    ApiClient.Answer answer = send(workload, method, path, body);
    if (path.endsWith("/sign")) {
      assertThat(answer.status()).isEqualTo(400); // the CSR is read first; a good one for another identity: 403 above
    } else {
      assertThat(answer.status()).as(answer.body()).isEqualTo(403);
    }
  }

  /** Bodies that are wrong in one field each: (path, body, field named, value named). */
  static Stream<Arguments> badBodies() {
    String register = "/api/v1/services/register";
    String traffic = "/api/v1/traffic-rules/shop/catalog";
    String security = "/api/v1/security-rules";
    return Stream.of(
        Arguments.of(register, "", "(body)", null),
        Arguments.of(register, "[1]", "(body)", "[1]"),
        Arguments.of(register, "{\"service_name\":", "(body)", "{\"service_name\":"),
        Arguments.of(register, "{\"service_name\":\"a\",\"service_name\":\"b\"}", "(body)", null),
        Arguments.of(register, "{\"service_name\":\"a\",\"ip\":\"127.0.0.1\",\"port\":1,\"colour\":\"red\"}", "colour", "colour"),
        Arguments.of(register, "{\"service_name\":\"a\",\"ip\":\"127.0.0.1\",\"port\":\"8080\"}", "port", "8080"),
        Arguments.of(register, "{\"service_name\":\"a\",\"ip\":\"127.0.0.1\",\"port\":80.5}", "port", "80.5"),
        Arguments.of(register, "{\"service_name\":\"a\",\"ip\":\"127.0.0.1\",\"port\":99999}", "port", "99999"),
        Arguments.of(register, "{\"service_name\":5,\"ip\":\"127.0.0.1\",\"port\":1}", "service_name", "5"),
        Arguments.of(register, "{\"service_name\":\"a\",\"ip\":\"nowhere\",\"port\":1}", "ip", "nowhere"),
        Arguments.of(register, "{\"service_name\":\"a\",\"ip\":\"127.0.0.1\",\"port\":1,\"weight\":-3}", "weight", "-3"),
        Arguments.of(register, "{\"service_name\":\"a\",\"ip\":\"127.0.0.1\",\"port\":1,\"labels\":[\"x\"]}", "labels", "[\"x\"]"),
        Arguments.of(register, "{\"service_name\":\"a\",\"ip\":\"127.0.0.1\",\"port\":1,\"protocol\":\"udp\"}", "protocol", "udp"),
        Arguments.of(register, "{\"service_name\":\"a\",\"ip\":\"127.0.0.1\",\"port\":1,\"health_check_path\":\"x\"}",
            "health_check_path", "x"),
        Arguments.of(traffic, "{\"weight\":\"heavy\"}", "weight", "heavy"),
        Arguments.of(traffic, "{\"match_headers\":{\"version\":1}}", "match_headers.version", "1"),
        Arguments.of(traffic, "{\"match_headers\":[\"version\"]}", "match_headers", "[\"version\"]"),
        Arguments.of(traffic, "{\"match_method\":\"BREW\"}", "match_method", "BREW"),
        Arguments.of(traffic, "{\"timeout\":30}", "timeout", "30"),
        Arguments.of(traffic, "{\"timeout\":\"30\"}", "timeout", "30"),
        Arguments.of(traffic, "{\"retry_attempts\":true}", "retry_attempts", "true"),
        Arguments.of(traffic, "{\"circuit_breaker\":{\"max_requests\":0}}", "circuit_breaker.max_requests", "0"),
        Arguments.of(traffic, "{\"circuit_breaker\":{\"trip\":1}}", "circuit_breaker.trip", "trip"),
        Arguments.of(traffic, "{\"destination_subset\":\"v/2\"}", "destination_subset", "v/2"),
        Arguments.of(security, "{\"source_service\":\"a\"}", "destination_service", null),
        Arguments.of(security, "{\"source_service\":\"a\",\"destination_service\":\"b\",\"allowed_methods\":\"GET\"}",
            "allowed_methods", "GET"),
        Arguments.of(security, "{\"source_service\":\"a\",\"destination_service\":\"b\",\"required_jwt\":\"yes\"}",
            "required_jwt", "yes"),
        Arguments.of(security, "{\"source_service\":\"a\",\"destination_service\":\"b\",\"mtls_mode\":\"OFF\"}",
            "mtls_mode", "OFF"),
        Arguments.of("/api/v1/config", "{\"global_timeout\":\"soon\"}", "global_timeout", "soon"),
        Arguments.of("/api/v1/config", "{\"circuit_breaker_enabled\":\"no\"}", "circuit_breaker_enabled", "no"),
        Arguments.of("/api/v1/config", "{\"observability\":{\"sampling_rate\":2}}", "observability.sampling_rate", "2.0"),
        Arguments.of("/api/v1/config", "{\"observability\":{\"colour\":1}}", "observability.colour", "colour"),
        Arguments.of("/api/v1/config", "{\"jwt\":{\"issuer\":\"i\",\"jwks\":{\"keys\":[{\"kty\":\"RSA\"}]}}}", "jwt.jwks",
            "(a JWK set)"),
        Arguments.of("/api/v1/certificates/issue", "{\"service_name\":\"a b\"}", "service_name", "a b"),
        Arguments.of("/api/v1/certificates/issue", "{\"service_name\":\"a\",\"ttl\":\"10s\"}", "ttl", "10s"),
        Arguments.of("/api/v1/certificates/sign", "{\"csr\":\"not a csr\"}", "csr", "not a csr"),
        Arguments.of("/api/v1/certificates/sign", "{}", "csr", null),
        Arguments.of("/api/v1/bootstrap-tokens", "{\"service_name\":\"a\",\"ttl\":\"9000h\"}", "ttl", "9000h"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("badBodies")
  void aBadBodyIsA400NamingTheFieldTheValueAndWhatWasExpected(String path, String body, String field, String value) {
    ApiClient.Answer answer = admin.post(path, body);
    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    JsonNode error = answer.json();
    assertThat(error.get("field").asText()).isEqualTo(field);
    if (value != null) {
      assertThat(error.get("value").asText()).isEqualTo(value);
    }
    assertThat(error.get("expected").asText()).isNotBlank();
    assertThat(error.get("error").asText()).startsWith(field + ": ");
  }

  @Test
  void aBodyOverTheLimitIsRefusedWith413() {
    String huge = "{\"service_name\":\"" + "a".repeat(2 << 20) + "\"}";
    assertThat(admin.post("/api/v1/services/register", huge).status()).isEqualTo(413);
  }

  @Test
  void unknownPathsAndMethodsAreNamed() {
    assertThat(admin.get("/api/v1/nothing").status()).isEqualTo(404);
    ApiClient.Answer wrongMethod = admin.delete("/api/v1/config");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.json().get("error").asText()).contains("expected: POST, GET");
  }

  @Test
  void readsNeedATokenWhenTheyAreNotOpen(@TempDir Path other) {
    try (ControlPlaneServer closed = TestControlPlane.builder(other).port(0).openReads(false).start()) {
      ApiClient anonymous = new ApiClient(closed.uri(), null);
      assertThat(anonymous.get("/api/v1/services").status()).isEqualTo(401);
      assertThat(anonymous.get("/api/v1/watch").status()).isEqualTo(401);
      assertThat(anonymous.get("/health").status()).isEqualTo(200);
      assertThat(anonymous.get("/api/v1/certificates/ca").status()).isEqualTo(200);
    }
    assertThat(controlPlane.anonymous().get("/api/v1/services").status()).isEqualTo(200); // loopback: open
  }

  @Test
  void theDashboardsFilesAreOpenToAnyoneAndItsPagesReadTheApiWithTheCallersToken(@TempDir Path other) {
    try (ControlPlaneServer closed = TestControlPlane.builder(other).port(0).openReads(false).start()) {
      ApiClient anonymous = new ApiClient(closed.uri(), null);
      assertThat(anonymous.get("/").status()).as("the root leads to the dashboard").isEqualTo(302);
      ApiClient.Answer index = anonymous.get("/dashboard/");
      assertThat(index.status()).isEqualTo(200);
      assertThat(index.contentType()).isEqualTo("text/html; charset=utf-8");
      assertThat(index.body()).contains("<script type=\"module\" src=\"app.js\">");
      assertThat(anonymous.get("/dashboard/fleet.js").contentType()).isEqualTo("text/javascript; charset=utf-8");
      assertThat(anonymous.get("/dashboard/view.json").json().get("view").asText()).isEqualTo("fleet");
      assertThat(anonymous.get("/dashboard/nothing.css").status()).isEqualTo(404);
      assertThat(anonymous.get("/api/v1/status").status()).as("the data still needs a token").isEqualTo(401);
    }
  }

  private static X509Certificate certificate(String pem) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }
}
