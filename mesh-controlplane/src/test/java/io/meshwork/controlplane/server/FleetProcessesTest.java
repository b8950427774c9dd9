package io.meshwork.controlplane.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshwork.Mesh;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.netty.testing.Ports;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three workloads in JVMs of their own (user-service v1 and v2, frontend) and a controller: CSR-issued
 * certificates, mTLS calls across the processes, a traffic rule posted mid-run, a revoked certificate
 * refused at the next handshake by every process, and the controller stopped and restarted under load
 * without a failed call. The test's own mesh (test-driver) drives the calls through frontend.
 */
class FleetProcessesTest {

  private static final Duration START = Duration.ofSeconds(90);

  @TempDir
  Path directory;

  private TestControlPlane controlPlane;
  private final List<FleetProcess> processes = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();
  private Mesh driver;

  @BeforeEach
  void startFleet() throws Exception {
    controlPlane = new TestControlPlane(directory.resolve("controller"), Ports.free());
    controlPlane.admin().post("/api/v1/config", "{\"load_balancer\":\"round_robin\"}");
    String uri = controlPlane.server().uri().toString();
    for (String[] workload : new String[][] {{"user-service", "v1"}, {"user-service", "v2"}, {"frontend", "v1"}}) {
      String token = controlPlane.bootstrapToken("default", workload[0]);
      processes.add(FleetProcess.start(directory, workload[0] + "-" + workload[1], FleetMemberProcess.class,
          List.of(uri, token, workload[0], workload[1])));
    }
    for (FleetProcess process : processes) {
      ports.add(process.awaitReady(START));
    }
    driver = Mesh.builder().service("test-driver")
        .controlPlane(controlPlane.server().uri(), controlPlane.bootstrapToken("default", "test-driver")).build();
  }

  @AfterEach
  void stopFleet() {
    if (driver != null) {
      driver.close();
    }
    processes.forEach(FleetProcess::close);
    controlPlane.close();
  }

  private MeshResponse callThroughFrontend(boolean beta) {
    MeshRequest.Builder request = MeshRequest.builder().method("GET").path("/call/user-service/users/7");
    if (beta) {
      request.header("version", "beta");
    }
    return driver.call("frontend", request.build()).join();
  }

  @Test
  void aFleetInSeparateProcessesFollowsTheControlPlane() throws Exception {
    // Certificates by CSR: the control plane holds no key of theirs.
    JsonNode certificates = controlPlane.admin().get("/api/v1/certificates").json().get("certificates");
    List<String> byCsr = new ArrayList<>();
    certificates.forEach(c -> {
      if (c.get("method").asText().equals("csr")) {
        byCsr.add(c.get("service_name").asText());
      }
    });
    assertThat(byCsr).containsExactlyInAnyOrder("user-service", "user-service", "frontend", "test-driver");

    // mTLS across processes: each server names the caller it read from the client certificate.
    Set<String> answers = new HashSet<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (answers.size() < 2 && System.nanoTime() < deadline) {
      MeshResponse answer = callThroughFrontend(false);
      assertThat(answer.status()).as(answer.bodyAsString()).isEqualTo(200);
      answers.add(answer.bodyAsString());
    }
    assertThat(answers).containsExactlyInAnyOrder(
        "user-service v1 to spiffe://cluster.local/ns/default/sa/frontend",
        "user-service v2 to spiffe://cluster.local/ns/default/sa/frontend");

    // A traffic rule posted mid-run: beta calls land on v2 within a second.
    long posted = System.nanoTime();
    ApiClient.Answer rule = controlPlane.admin().post("/api/v1/traffic-rules/default/user-service",
        "{\"match_headers\":{\"version\":\"beta\"},\"destination_subset\":\"v2\"}");
    assertThat(rule.json().get("status").asText()).isEqualTo("rule added");
    int onV2 = 0;
    long followed = 0;
    deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (onV2 < 10 && System.nanoTime() < deadline) {
      boolean v2 = callThroughFrontend(true).bodyAsString().startsWith("user-service v2");
      if (v2 && onV2 == 0) {
        followed = System.nanoTime();
      }
      onV2 = v2 ? onV2 + 1 : 0;
    }
    assertThat(onV2).isEqualTo(10);
    Duration took = Duration.ofNanos(followed - posted);
    System.out.println("beta calls followed the new rule " + took.toMillis() + " ms after it was posted");
    assertThat(took).isLessThan(Duration.ofSeconds(1));
    Set<String> plain = new HashSet<>();
    for (int i = 0; i < 6; i++) {
      plain.add(callThroughFrontend(false).bodyAsString().substring(0, "user-service v1".length()));
    }
    assertThat(plain).as("calls without the header still go to both").hasSize(2);
  }

  @Test
  void aRevokedCertificateIsRefusedAtTheNextHandshakeByEveryProcess() throws Exception {
    JsonNode issued = controlPlane.admin().post("/api/v1/certificates/issue", "{\"service_name\":\"intruder\"}").json();
    TlsProbe intruder = new TlsProbe(directory, issued.get("certificate_chain").asText(),
        issued.get("private_key").asText(), issued.get("ca_certificate").asText());
    for (int port : ports) {
      assertThat(intruder.get(port, "/hello")).isEqualTo("HTTP/1.1 200 OK");
    }
    ApiClient.Answer revoked = controlPlane.admin().delete("/api/v1/certificates/" + issued.get("serial").asText());
    assertThat(revoked.json().get("status").asText()).isEqualTo("revoked");
    for (int port : ports) {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      boolean refused = false;
      while (!refused && System.nanoTime() < deadline) {
        try {
          intruder.get(port, "/hello");
        } catch (IOException e) {
          refused = true;
        }
      }
      assertThat(refused).as("port " + port + " refuses the revoked certificate").isTrue();
      assertThatThrownBy(() -> intruder.get(port, "/hello")).isInstanceOf(IOException.class);
    }
    // The fleet's own calls go on: their certificates are not revoked.
    assertThat(callThroughFrontend(false).status()).isEqualTo(200);
  }

  @Test
  void theControllerStoppedAndRestartedUnderLoadFailsNoCall() throws Exception {
    assertThat(callThroughFrontend(false).status()).isEqualTo(200);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger succeeded = new AtomicInteger();
    Semaphore successes = new Semaphore(0);
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    Thread load = new Thread(() -> {
      while (running.get()) {
        try {
          MeshResponse answer = callThroughFrontend(false);
          if (answer.status() == 200) {
            succeeded.incrementAndGet();
            successes.release();
          } else {
            failures.add(answer.status() + " " + answer.bodyAsString());
          }
        } catch (RuntimeException e) {
          failures.add(e.toString());
        }
      }
    }, "load");
    load.start();
    awaitMore(successes);
    int before = succeeded.get();
    controlPlane.stop();
    successes.drainPermits(); // from here on, calls made while the controller is away
    awaitMore(successes);
    int whileDown = succeeded.get();
    controlPlane.restart();
    // The fleet finds the controller again: a rule posted after the restart reaches it.
    controlPlane.admin().post("/api/v1/traffic-rules/default/user-service",
        "{\"match_headers\":{\"version\":\"beta\"},\"destination_subset\":\"v1\"}");
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    boolean followed = false;
    while (!followed && System.nanoTime() < deadline) {
      followed = true;
      for (int i = 0; i < 5 && followed; i++) {
        followed = callThroughFrontend(true).bodyAsString().startsWith("user-service v1");
      }
    }
    successes.drainPermits();
    awaitMore(successes);
    running.set(false);
    load.join(30_000);
    assertThat(followed).isTrue();
    assertThat(failures).isEmpty();
    assertThat(succeeded.get()).isGreaterThan(whileDown);
  }

  /** Waits until 20 more calls succeeded, with a bound. */
  private static void awaitMore(Semaphore successes) throws InterruptedException {
    assertThat(successes.tryAcquire(20, 30, TimeUnit.SECONDS)).as("20 more calls succeeded").isTrue();
  }
}
