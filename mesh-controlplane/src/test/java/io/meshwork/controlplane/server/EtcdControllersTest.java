package io.meshwork.controlplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwork.netty.testing.Ports;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two controllers (their own JVMs, started from the command line) on one real etcd serve the same
 * state: what one is told, the other answers, under the same CA and admin tokens; one is killed and
 * the other keeps serving, and puts back the instances the dead one's etcd lease took with it.
 */
class EtcdControllersTest {

  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

  @TempDir
  Path directory;

  private static FleetProcess controller(Path directory, String name, SingleEtcd etcd) throws Exception {
    return FleetProcess.start(directory, name, Main.class, List.of("--port", Integer.toString(Ports.free()),
        "--data-dir", directory.resolve(name).toString(), "--etcd", etcd.endpoint(), "--etcd-lease-ttl", "3s",
        "--health-check-interval", "500ms"));
  }

  private static String token(Path directory, String name) throws Exception {
    return Files.readString(directory.resolve(name).resolve("admin-token")).strip();
  }

  @Test
  void twoControllersOnOneEtcdServeTheSameStateAndOneOutlivesTheOther() throws Exception {
    try (SingleEtcd etcd = SingleEtcd.start(Files.createDirectories(directory.resolve("etcd")));
         FleetProcess first = controller(directory, "first", etcd);
         FleetProcess second = controller(directory, "second", etcd)) {
      ApiClient a = new ApiClient(URI.create(first.await(LISTENING, Duration.ofSeconds(90))), token(directory, "first"));
      ApiClient b = new ApiClient(URI.create(second.await(LISTENING, Duration.ofSeconds(90))), token(directory, "second"));
      assertThat(first.process.output()).doesNotContain(token(directory, "first"));

      assertThat(a.get("/api/v1/status").json().get("ca_fingerprint").asText())
          .isEqualTo(b.get("/api/v1/status").json().get("ca_fingerprint").asText());
      // Each controller writes its token's hash to etcd at start; the other sees it once its watch delivers it.
      ApiClient firstTokenOnSecond = b.withToken(token(directory, "first"));
      awaitOn(firstTokenOnSecond, "/api/v1/bootstrap-tokens", body -> !body.contains("\"error\""));
      assertThat(firstTokenOnSecond.get("/api/v1/bootstrap-tokens").status())
          .as("one controller's admin token works on the other").isEqualTo(200);

      assertThat(a.post("/api/v1/services/register", "{\"id\":\"o1\",\"service_name\":\"orders\","
          + "\"ip\":\"127.0.6.1\",\"port\":9601}").status()).isEqualTo(200);
      assertThat(a.post("/api/v1/traffic-rules/default/orders", "{\"match_headers\":{\"version\":\"beta\"},"
          + "\"destination_subset\":\"v2\"}").status()).isEqualTo(200);
      assertThat(a.post("/api/v1/security-rules", "{\"source_service\":\"web\",\"destination_service\":\"orders\"}")
          .status()).isEqualTo(200);
      assertThat(a.post("/api/v1/config", "{\"global_timeout\":\"4s\"}").status()).isEqualTo(200);
      JsonNode issued = a.post("/api/v1/certificates/issue", "{\"service_name\":\"orders\"}").json();
      String serial = issued.get("serial").asText();
      assertThat(a.delete("/api/v1/certificates/" + serial).status()).isEqualTo(200);

      awaitOn(b, "/api/v1/services/default/orders", body -> body.contains("127.0.6.1"));
      awaitOn(b, "/api/v1/traffic-rules/default/orders", body -> body.contains("\"destination_subset\":\"v2\""));
      awaitOn(b, "/api/v1/security-rules", body -> body.contains("\"source_service\":\"web\""));
      awaitOn(b, "/api/v1/config", body -> body.contains("\"global_timeout\":\"4s\""));
      awaitOn(b, "/api/v1/certificates", body -> body.contains(serial) && body.contains("revoked_at"));
      assertThat(b.get("/api/v1/watch").json().get("revision").asText())
          .as("both name the same state the same way").isEqualTo(a.get("/api/v1/watch").json().get("revision").asText());

      String lease = leaseOf(etcd, "orders");
      first.kill();

      // The instance was on the dead controller's lease: the survivor registers it again on its own.
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      String now = lease;
      while ((now == null || now.equals(lease)) && System.nanoTime() < deadline) {
        now = leaseOf(etcd, "orders");
      }
      assertThat(now).as("the instance's lease after the first controller died").isNotNull().isNotEqualTo(lease);
      assertThat(b.get("/api/v1/services/default/orders").body()).contains("127.0.6.1");
      assertThat(b.get("/health").json().get("status").asText()).isEqualTo("healthy");
      assertThat(b.post("/api/v1/traffic-rules/default/orders", "{\"match_path\":\"/v3\",\"destination_subset\":\"v3\"}")
          .status()).isEqualTo(200);
      assertThat(b.get("/api/v1/traffic-rules/default/orders").json().get("rules")).hasSize(2);
    }
  }

  /** The etcd lease of the instance of {@code service}, as etcdctl reports it; null when there is none. */
  private static String leaseOf(SingleEtcd etcd, String service) throws Exception {
    JsonNode answer = new ObjectMapper().readTree(etcd.etcdctl("get", "--prefix", "/meshwork/services/", "-w", "json"));
    for (JsonNode kv : answer.path("kvs")) {
      String key = new String(java.util.Base64.getDecoder().decode(kv.get("key").asText()));
      if (key.contains("/" + service + "/")) {
        return kv.path("lease").asText(null);
      }
    }
    return null;
  }

  private static void awaitOn(ApiClient client, String path, java.util.function.Predicate<String> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    String body = "";
    while (System.nanoTime() < deadline) {
      body = client.get(path).body();
      if (condition.test(body)) {
        return;
      }
    }
    throw new AssertionError(path + " never showed the change; last: " + body);
  }
}
