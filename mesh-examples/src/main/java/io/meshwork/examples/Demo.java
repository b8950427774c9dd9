package io.meshwork.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshwork.Mesh;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.MeshServer;
import io.meshwork.controlplane.server.ControlPlaneServer;
import io.meshwork.registry.ServiceInstance;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The README's demo: the seeds' ten-step walkthrough, for real. A control plane starts on 127.0.0.1;
 * user-service (v1 and v2), order-service and frontend are meshes that join it (each gets its
 * certificate by CSR) and call each other over mTLS; every step goes through the control plane's REST
 * API with a plain HTTP client and shows what the meshes do about it. Exits non-zero if anything does
 * not happen as it says.
 */
public final class Demo {

  private static int failures;

  private Demo() {}

  public static void main(String[] args) throws Exception {
    long started = System.nanoTime();
    Path data = Files.createTempDirectory("meshwork-demo");
    ScheduledExecutorService slow = Executors.newSingleThreadScheduledExecutor();
    say("== Meshwork: the seeds' walkthrough, on real sockets on 127.0.0.1 ==");
    try (ControlPlaneServer controlPlane = ControlPlaneServer.builder().port(0).dataDirectory(data).start()) {
      say("control plane on " + controlPlane.uri() + ", CA fingerprint " + controlPlane.caFingerprint().substring(0, 23)
          + "..., admin token in " + controlPlane.adminTokenFile());
      ApiCalls api = new ApiCalls(controlPlane.uri(), Files.readString(controlPlane.adminTokenFile()).strip());
      api.read("/api/v1/config"); // warm the client
      new Demo().walk(controlPlane, api, slow);
    } finally {
      slow.shutdownNow();
    }
    if (failures > 0) {
      say("\n" + failures + " step(s) did not do what they said");
      System.exit(1);
    }
    say("\nevery step did what it said (" + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms)");
  }

  private void walk(ControlPlaneServer controlPlane, ApiCalls api, ScheduledExecutorService slow) throws Exception {
    api.post("/api/v1/config", "{\"load_balancer\":\"round_robin\"}");

    step(1, "register services: four meshes join the control plane (CSR, certificate, registration)");
    Mesh v1 = join(controlPlane, api, "user-service", "v1");
    Mesh v2 = join(controlPlane, api, "user-service", "v2");
    Mesh orders = join(controlPlane, api, "order-service", "v1");
    Mesh frontend = join(controlPlane, api, "frontend", "v1");
    MeshServer v1Server = v1.serve(0, request -> answer("v1", request, slow));
    v2.serve(0, request -> answer("v2", request, slow));
    orders.serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok("order 7")));
    frontend.serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok("home page")));
    JsonNode services = api.read("/api/v1/services");
    for (JsonNode service : services.get("services")) {
      List<String> endpoints = new ArrayList<>();
      service.get("endpoints").forEach(e -> endpoints.add(e.get("ip").asText() + ":" + e.get("port").asInt()
          + (e.get("labels").has("version") ? " " + e.get("labels").get("version").asText() : "")));
      say("   registered " + service.get("namespace").asText() + "/" + service.get("service_name").asText() + " "
          + endpoints);
    }
    expect(services.get("total").asInt() == 3, "three services are registered");

    step(2, "traffic rule: calls with the header version: beta go to user-service v2");
    api.post("/api/v1/traffic-rules/default/user-service",
        "{\"match_headers\":{\"version\":\"beta\"},\"destination_subset\":\"v2\"}");
    List<String> beta = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      beta.add(call(frontend, "user-service", request("GET", "/users/42").header("version", "beta").build()));
    }
    say("   frontend -> user-service with version: beta, four calls: " + summary(beta));
    expect(beta.stream().allMatch(answer -> answer.startsWith("200 v2")), "beta calls land on v2");

    step(3, "security rule: frontend may GET and POST user-service, nobody else");
    api.post("/api/v1/security-rules", "{\"source_namespace\":\"default\",\"source_service\":\"frontend\","
        + "\"destination_namespace\":\"default\",\"destination_service\":\"user-service\","
        + "\"allowed_methods\":[\"GET\",\"POST\"],\"required_jwt\":false,\"mtls_mode\":\"STRICT\"}");
    String get = awaitStatus(frontend, "GET", 200);
    String delete = awaitStatus(frontend, "DELETE", 403);
    String other = awaitStatus(orders, "GET", 403);
    say("   frontend GET /users/42      -> " + get);
    say("   frontend DELETE /users/42   -> " + delete);
    say("   order-service GET /users/42 -> " + other);
    expect(get.startsWith("200") && delete.startsWith("403") && other.startsWith("403"),
        "the rule allows frontend's GET and denies its DELETE and order-service");

    step(4, "issue a certificate through the API");
    JsonNode issued = api.post("/api/v1/certificates/issue", "{\"service_name\":\"payment-service\",\"namespace\":\"default\"}");
    X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
        new ByteArrayInputStream(issued.get("certificate").asText().getBytes(StandardCharsets.US_ASCII)));
    List<String> names = new ArrayList<>();
    certificate.getSubjectAlternativeNames().forEach(name -> names.add(name.get(1).toString()));
    say("   serial " + issued.get("serial").asText() + ", valid until " + issued.get("expires_at").asText());
    say("   subject alternative names: " + names);
    expect(names.contains("spiffe://cluster.local/ns/default/sa/payment-service"), "the certificate carries the SPIFFE ID");

    step(5, "round robin over real calls");
    List<String> spread = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      spread.add(call(frontend, "user-service", MeshRequest.get("/users/" + i)).substring(4, 6));
    }
    say("   six calls from frontend were served by " + spread);
    expect(spread.contains("v1") && spread.contains("v2"), "calls spread over both instances");

    step(6, "the sidecar health of user-service");
    for (JsonNode endpoint : api.read("/api/v1/services/default/user-service").get("endpoints")) {
      say("   control plane's check: " + endpoint.get("ip").asText() + ":" + endpoint.get("port").asInt() + " "
          + endpoint.get("status").asText());
    }
    frontend.healthReport().destinations().stream().filter(d -> d.service().equals("user-service"))
        .forEach(destination -> say("   frontend's view: " + destination));

    step(7, "metrics");
    JsonNode metrics = api.get("/api/v1/metrics");
    expect(metrics.get("registry").get("traffic_rules").asInt() == 1, "the metrics count the rule");

    step(8, "a config change that takes effect: global_timeout");
    String before = call(frontend, "user-service", MeshRequest.get("/users/slow"));
    say("   GET /users/slow (answers in 800 ms) with the default timeout -> " + before);
    api.post("/api/v1/config", "{\"global_timeout\":\"300ms\"}");
    String after = awaitCall(frontend, "/users/slow", "failed");
    say("   the same call after the change                  -> " + after);
    api.post("/api/v1/config", "{\"global_timeout\":null}");
    expect(before.startsWith("200") && after.contains("deadline"), "the new timeout ends the slow call");

    step(9, "discovery");
    List<String> found = frontend.registry().discover("user-service").stream().map(ServiceInstance::toString).toList();
    say("   frontend discovers user-service through the control plane: " + found);
    expect(found.size() == 2, "two user-service instances are discovered");

    step(10, "stop one user-service instance: calls still succeed");
    v1Server.close();
    say("   user-service v1 stopped and deregistered");
    List<String> remaining = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      remaining.add(call(frontend, "user-service", MeshRequest.get("/users/" + i)));
    }
    say("   six calls from frontend: " + summary(remaining));
    expect(remaining.stream().allMatch(answer -> answer.startsWith("200 v2")), "every call succeeds on v2");
    for (Mesh mesh : List.of(frontend, orders, v2, v1)) {
      mesh.close();
    }
  }

  private static Mesh join(ControlPlaneServer controlPlane, ApiCalls api, String service, String version) {
    String token = api.postQuietly("/api/v1/bootstrap-tokens", "{\"service_name\":\"" + service
        + "\",\"namespace\":\"default\"}").get("token").asText();
    Mesh mesh = Mesh.builder().service(service).labels(Map.of("version", version))
        .controlPlane(controlPlane.uri(), token).build();
    say("   " + service + " " + version + " joined with its bootstrap token and got its certificate by CSR");
    return mesh;
  }

  private static CompletableFuture<MeshResponse> answer(String version, MeshRequest request,
      ScheduledExecutorService slow) {
    String body = version + " answered " + request.method() + " " + request.path() + " for "
        + request.peerIdentity().map(identity -> identity.service()).orElse("nobody");
    if (request.path().equals("/users/slow")) {
      CompletableFuture<MeshResponse> later = new CompletableFuture<>();
      slow.schedule(() -> later.complete(MeshResponse.ok(body)), 800, TimeUnit.MILLISECONDS);
      return later;
    }
    return CompletableFuture.completedFuture(MeshResponse.ok(body));
  }

  private static MeshRequest.Builder request(String method, String path) {
    return MeshRequest.builder().method(method).path(path);
  }

  /** {@code <status> <body>}, or {@code failed: <reason>}. */
  private static String call(Mesh mesh, String service, MeshRequest request) {
    try {
      MeshResponse response = mesh.call(service, request).join();
      String body = response.bodyAsString();
      return response.status() + " " + (body.length() > 70 ? body.substring(0, 70) + "..." : body);
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return "failed: " + cause.getClass().getSimpleName() + " (" + cause.getMessage() + ")";
    }
  }

  /** A change reaches the meshes in a few milliseconds; calls are tried again for up to 5 s until it has. */
  private static String awaitStatus(Mesh mesh, String method, int status) {
    String answer = "";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      answer = call(mesh, "user-service", request(method, "/users/42").build());
      if (answer.startsWith(Integer.toString(status))) {
        break;
      }
    }
    return answer;
  }

  private static String awaitCall(Mesh mesh, String path, String prefix) {
    String answer = "";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline && !answer.startsWith(prefix)) {
      answer = call(mesh, "user-service", MeshRequest.get(path));
    }
    return answer;
  }

  /** Calls' answers counted by what served them, such as {@code 4 x 200 from v2}. */
  private static String summary(List<String> answers) {
    Map<String, Long> counted = new java.util.TreeMap<>();
    for (String answer : answers) {
      String key = answer.startsWith("200 ") ? "200 from " + answer.substring(4, 6) : answer;
      counted.merge(key, 1L, Long::sum);
    }
    List<String> parts = new ArrayList<>();
    counted.forEach((what, count) -> parts.add(count + " x " + what));
    return String.join(", ", parts);
  }

  private static void step(int number, String title) {
    say("\n" + number + ". " + title);
  }

  private static void expect(boolean held, String what) {
    if (!held) {
      failures++;
      say("   !! expected: " + what);
    }
  }

  static void say(String line) {
    System.out.println(line);
  }
}
