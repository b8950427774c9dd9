package io.meshwork.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.Mesh;
import io.meshwork.MeshResponse;
import io.meshwork.MeshServer;
import io.meshwork.netty.testing.Binaries;
import io.meshwork.netty.testing.ChildProcess;
import io.meshwork.netty.testing.CurlResponse;
import io.meshwork.netty.testing.RawHttp2Client;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real outside clients against {@code mesh.serve}: curl over HTTP/1.1 and h2c with prior
 * knowledge, and h2load for load on both, all on one port.
 */
class OutsideClientsTest {

  @TempDir
  static Path dir;
  private static NettyTransport transport;
  private static Mesh mesh;
  private static MeshServer server;

  @BeforeAll
  static void serve() {
    Binaries.curl();
    Binaries.h2load();
    transport = NettyTransport.builder().eventLoopThreads(2).shutdownGrace(Duration.ofSeconds(1)).build();
    mesh = Mesh.builder().service("web").registry(new InMemoryServiceRegistry()).transport(transport)
        .shutdownGrace(Duration.ofSeconds(1)).build();
    server = mesh.serve(0, request -> CompletableFuture.completedFuture(
        request.method().equals("POST")
            ? MeshResponse.builder().header("content-type", "application/octet-stream")
                .header("x-length", Integer.toString(request.bodyLength())).body(request.body()).build()
            : MeshResponse.builder().header("content-type", "text/plain").header("x-path", request.path())
                .body("hello from meshwork\n").build()));
  }

  @AfterAll
  static void stop() {
    if (mesh != null) {
      mesh.close();
    }
    if (transport != null) {
      transport.close();
    }
  }

  @Test
  void curlOverHttp11() throws Exception {
    CurlResponse get = CurlResponse.parse(curl("--http1.1", url("/hello?x=1")).output());
    assertThat(get.status()).isEqualTo(200);
    assertThat(new String(get.body(), StandardCharsets.UTF_8)).isEqualTo("hello from meshwork\n");
    assertThat(get.header("x-path")).isEqualTo("/hello?x=1");

    Path payload = dir.resolve("payload.bin");
    Files.write(payload, new byte[200_000]);
    CurlResponse post = CurlResponse.parse(curl("--http1.1", "--data-binary", "@" + payload, url("/upload")).output());
    assertThat(post.status()).isEqualTo(200);
    assertThat(post.header("x-length")).isEqualTo("200000");
    assertThat(post.body()).hasSize(200_000);

    CurlResponse head = CurlResponse.parse(curl("--http1.1", "-I", url("/hello")).output());
    assertThat(head.header("content-length")).isEqualTo("20");
    assertThat(head.body()).isEmpty();
  }

  @Test
  void curlOverHttp2WithPriorKnowledge() throws Exception {
    ChildProcess.Result get = curl("--http2-prior-knowledge", url("/h2"));
    assertThat(get.text()).startsWith("HTTP/2 200");
    CurlResponse response = CurlResponse.parse(get.output());
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("hello from meshwork\n");
    assertThat(response.header("x-path")).isEqualTo("/h2");

    Path payload = dir.resolve("payload2.bin");
    Files.write(payload, new byte[300_000]);
    CurlResponse post = CurlResponse.parse(
        curl("--http2-prior-knowledge", "--data-binary", "@" + payload, url("/upload")).output());
    assertThat(post.header("x-length")).isEqualTo("300000");
    assertThat(post.body()).hasSize(300_000);
  }

  @Test
  void limitsAnswer431And413OverBothProtocols() throws Exception {
    Path bigHeader = dir.resolve("big-header.txt");
    Files.writeString(bigHeader, "X-Big: " + "b".repeat(70 * 1024) + "\n");
    assertThat(CurlResponse.parse(curl("--http1.1", "-H", "@" + bigHeader, url("/")).output()).status())
        .isEqualTo(431);
    // curl keeps to the server's advertised SETTINGS_MAX_HEADER_LIST_SIZE; a client that does not
    // gets the 431 answer.
    Http2Headers oversized = new DefaultHttp2Headers().method("GET").path("/").scheme("http")
        .authority("127.0.0.1").add("x-big", "b".repeat(70 * 1024));
    assertThat(RawHttp2Client.send(server.port(), oversized)).isEqualTo(":status 431");

    Path tooLarge = dir.resolve("too-large.bin");
    Files.write(tooLarge, new byte[11 * 1024 * 1024]);
    for (String protocol : List.of("--http1.1", "--http2-prior-knowledge")) {
      assertThat(CurlResponse.parse(curl(protocol, "--data-binary", "@" + tooLarge, url("/")).output()).status())
          .as("413 over %s", protocol).isEqualTo(413);
    }
  }

  @Test
  void h2loadOverH2cAllSucceed() throws Exception {
    String report = h2load("-n", "2000", "-c", "4", "-m", "10", url("/"));
    assertAllSucceeded(report, 2000);
  }

  @Test
  void h2loadOverHttp11AllSucceed() throws Exception {
    String report = h2load("--h1", "-n", "1000", "-c", "4", url("/"));
    assertAllSucceeded(report, 1000);
  }

  private static void assertAllSucceeded(String report, int requests) {
    Matcher done = Pattern.compile("requests: (\\d+) total, (\\d+) started, (\\d+) done, (\\d+) succeeded, "
        + "(\\d+) failed, (\\d+) errored").matcher(report);
    assertThat(done.find()).as("h2load report:\n%s", report).isTrue();
    assertThat(done.group(4)).as("succeeded; report:\n%s", report).isEqualTo(Integer.toString(requests));
    assertThat(done.group(5)).as("failed").isEqualTo("0");
    assertThat(done.group(6)).as("errored").isEqualTo("0");
    assertThat(report).contains("status codes: " + requests + " 2xx");
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  private static ChildProcess.Result curl(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(Binaries.curl().toString(), "-s", "-i", "--max-time", "20"));
    command.addAll(List.of(arguments));
    ChildProcess.Result result = ChildProcess.run(dir, Duration.ofSeconds(30), command);
    assertThat(result.exitCode()).as("curl exit code; output:\n%s", result.text()).isZero();
    return result;
  }

  private static String h2load(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(Binaries.h2load().toString()));
    command.addAll(List.of(arguments));
    ChildProcess.Result result = ChildProcess.run(dir, Duration.ofSeconds(60), command);
    assertThat(result.exitCode()).as("h2load exit code; output:\n%s", result.text()).isZero();
    return result.text();
  }
}
