package io.meshwork.netty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwork.Mesh;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.netty.testing.Binaries;
import io.meshwork.netty.testing.ChildProcess;
import io.meshwork.netty.testing.Ports;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.telemetry.MetricFamily;
import io.meshwork.telemetry.MetricSeries;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus server (Debian's {@code prometheus}, a child process on a free loopback port
 * with its own config and data directory) scrapes a running mesh's admin endpoint; its query API
 * then answers with the numbers the mesh made. {@code promtool} checks the exposition, and curl
 * checks the content negotiation from outside.
 */
class PrometheusScrapeTest {

  private static final int CALLS = 37;

  @TempDir
  Path dir;

  private final InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
  private final HttpClient http = HttpClient.newHttpClient();
  private NettyTransport transport;
  private Mesh users;
  private Mesh orders;

  @BeforeEach
  void meshes() {
    transport = NettyTransport.builder().eventLoopThreads(2).build();
    users = Mesh.builder().service("user-service").registry(registry).transport(transport).build();
    users.serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok("user")));
    orders = Mesh.builder().service("order-service").registry(registry).transport(transport).admin(0).build();
    for (int i = 0; i < CALLS; i++) {
      assertThat(orders.call("user-service", MeshRequest.get("/users/" + i)).join().status()).isEqualTo(200);
    }
  }

  @AfterEach
  void close() {
    orders.close();
    users.close();
    transport.close();
  }

  @Test
  void prometheusScrapesTheMeshAndAnswersWithItsCountsAndQuantiles() throws Exception {
    int promPort = Ports.free();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
        + "scrape_configs:\n  - job_name: mesh\n    static_configs:\n"
        + "      - targets: ['127.0.0.1:" + orders.adminPort().getAsInt() + "']\n");
    try (ChildProcess prometheus = ChildProcess.start(dir.resolve("prometheus.log"), List.of(
        Binaries.prometheus().toString(), "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + promPort, "--log.level=warn"))) {
      Ports.awaitListening(promPort, Duration.ofSeconds(60), prometheus);
      String calls = "sum(meshwork_client_calls_total{service=\"user-service\",outcome=\"success\"})";
      assertThat(awaitValue(promPort, calls, prometheus)).isEqualTo(CALLS);
      assertThat(awaitValue(promPort, "sum(http_client_request_duration_seconds_count{server_address=\"user-service\"})",
          prometheus)).isEqualTo(CALLS);
      assertThat(awaitValue(promPort, "up{job=\"mesh\"}", prometheus)).isEqualTo(1);
      String quantile = "histogram_quantile(0.9, sum by (le) (meshwork_client_call_duration_seconds_bucket"
          + "{service=\"user-service\"}))";
      assertThat(awaitValue(promPort, quantile, prometheus))
          .isCloseTo(expectedQuantile(0.9, "meshwork.client.call.duration"), org.assertj.core.data.Offset.offset(1e-9));
    }
  }

  @Test
  void promtoolAcceptsTheExpositionAndAnUnknownAcceptGetsText() throws Exception {
    users.serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok("user"))); // a second server
    Path scrape = dir.resolve("metrics.txt");
    String url = "http://127.0.0.1:" + orders.adminPort().getAsInt() + "/metrics";
    ChildProcess.Result curl = ChildProcess.run(dir, Duration.ofSeconds(30), List.of(Binaries.curl().toString(),
        "-sS", "-D", dir.resolve("headers.txt").toString(), "-H", "Accept: application/x-unheard-of", "-o",
        scrape.toString(), url));
    assertThat(curl.exitCode()).as(curl.text()).isZero();
    assertThat(Files.readString(dir.resolve("headers.txt")).toLowerCase())
        .contains("content-type: text/plain; version=0.0.4; charset=utf-8");
    ChildProcess.Result check = ChildProcess.run(dir, Duration.ofSeconds(30),
        List.of(Binaries.promtool().toString(), "check", "metrics"), scrape);
    assertThat(check.exitCode()).as(check.text()).isZero();
    assertThat(Files.readString(scrape)).contains("meshwork_client_calls_total").contains("# TYPE");
  }

  /** The value of an instant query, once Prometheus has scraped enough to answer it. */
  private double awaitValue(int port, String query, ChildProcess prometheus) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    String last = "";
    while (System.nanoTime() - end < 0) {
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
          + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8))).build(),
          HttpResponse.BodyHandlers.ofString());
      last = answer.body();
      JsonNode result = new ObjectMapper().readTree(last).path("data").path("result");
      if (answer.statusCode() == 200 && result.size() == 1) {
        return Double.parseDouble(result.get(0).get("value").get(1).asText());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200)); // until the next scrape lands
    }
    throw new AssertionError("Prometheus never answered " + query + "; last answer " + last + "\nits log:\n"
        + prometheus.output());
  }

  /** Prometheus's histogram_quantile over the mesh's own buckets of {@code name}, summed over series. */
  private double expectedQuantile(double q, String name) {
    MetricFamily family = orders.metrics().family(name);
    double[] bounds = family.bucketBounds();
    long[] counts = new long[bounds.length + 1];
    for (MetricSeries series : family.series()) {
      long[] own = series.bucketCounts();
      for (int i = 0; i < own.length; i++) {
        counts[i] += own[i];
      }
    }
    long total = java.util.Arrays.stream(counts).sum();
    double rank = q * total;
    long before = 0;
    for (int b = 0; b < counts.length; b++) {
      if (before + counts[b] >= rank) {
        if (b == bounds.length) {
          return bounds[bounds.length - 1]; // in the +Inf bucket: the highest finite bound
        }
        double start = b == 0 ? 0 : bounds[b - 1];
        return start + (bounds[b] - start) * (rank - before) / counts[b];
      }
      before += counts[b];
    }
    throw new AssertionError("no bucket for rank " + rank);
  }
}
