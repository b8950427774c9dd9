package io.meshwork.netty;

import static io.meshwork.netty.testing.Instances.client;
import static io.meshwork.netty.testing.Instances.local;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.Mesh;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.TransportException;
import io.meshwork.netty.testing.Binaries;
import io.meshwork.netty.testing.ChildProcess;
import io.meshwork.netty.testing.CurlResponse;
import io.meshwork.netty.testing.Ports;
import io.meshwork.policy.Protocol;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.transport.ClientOptions;
import io.meshwork.transport.TransportClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP/1.1 client against a real server: an nginx started by the test on loopback (its config,
 * pid and logs in a temporary directory, one process, stopped by its PID). Each answer is compared
 * with what the curl binary reports for the same request.
 */
class NginxInteropTest {

  private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(5);
  private static final int BIG_HEADERS = 16;
  private static final int BIG_HEADER_LENGTH = 3500;

  @TempDir
  static Path dir;
  private static ChildProcess nginx;
  private static int port;
  private static NettyTransport transport;
  private static TransportClient client;
  private static ServiceInstance instance;

  @BeforeAll
  static void startNginx() throws Exception {
    Path binary = Binaries.nginx();
    Binaries.curl();
    port = Ports.free();
    Files.createDirectories(dir.resolve("www/static"));
    Files.createDirectories(dir.resolve("tmp"));
    Files.writeString(dir.resolve("www/static/file.txt"), "static file contents\n".repeat(200));
    // SSI output has no length known in advance: nginx sends it chunked.
    Files.writeString(dir.resolve("www/chunked.html"),
        "<p>".repeat(50) + "<!--# echo var=\"uri\" -->" + "</p>\n".repeat(2000));
    Files.writeString(dir.resolve("nginx.conf"), config());
    nginx = ChildProcess.start(dir.resolve("nginx.out"), List.of(binary.toString(), "-p", dir.toString(),
        "-c", dir.resolve("nginx.conf").toString(), "-e", dir.resolve("error.log").toString()));
    Ports.awaitListening(port, Duration.ofSeconds(10), "nginx (" + nginx + ", output: " + nginx.output() + ")");
    transport = NettyTransport.builder().eventLoopThreads(1).build();
    client = transport.client(client("nginx", Protocol.HTTP_1_1));
    instance = local("nginx", port);
  }

  @AfterAll
  static void stopNginx() throws Exception {
    if (client != null) {
      client.close();
    }
    if (transport != null) {
      transport.close();
    }
    if (nginx != null) {
      nginx.close();
    }
  }

  @Test
  void contentLengthBody() throws Exception {
    MeshResponse response = sameAsCurl("/fixed");
    assertThat(response.bodyAsString()).isEqualTo("a fixed-length body\n");
    assertThat(response.header("content-length")).as("kept as nginx sent it").isEqualTo("20");
  }

  @Test
  void aChunkedBodyPastTheLimitFailsWithAMessageSayingSo() throws Exception {
    try (TransportClient limited = transport.client(new ClientOptions("nginx", Protocol.HTTP_1_1,
        Duration.ofSeconds(1), 10_000))) {
      assertThatThrownBy(() -> limited.send(instance, MeshRequest.get("/chunked.html"), TIMEOUT).get(5, TimeUnit.SECONDS))
          .cause().isInstanceOf(TransportException.class)
          .hasMessage("nginx: response body from 127.0.0.1:" + port + " grew past the limit of 10000 bytes"
              + " (ServicePolicy.maxResponseBytes)")
          .satisfies(failure -> assertThat(((TransportException) failure).isRetryable()).isFalse());
    }
  }

  @Test
  void everyRequestFactoryThroughAMeshReachesNginxWithItsMethodAndBody() throws Exception {
    InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
    registry.register(local("edge", port)).join();
    try (Mesh mesh = Mesh.builder().service("caller").registry(registry).transport(transport).build()) {
      List<String> answers = new ArrayList<>();
      for (MeshRequest request : List.of(MeshRequest.get("/echo"), MeshRequest.post("/echo", "post"),
          MeshRequest.put("/echo", "put!"), MeshRequest.patch("/echo", "patch-body"), MeshRequest.delete("/echo"),
          MeshRequest.options("/echo"))) {
        MeshResponse response = mesh.call("edge", request).get(5, TimeUnit.SECONDS);
        assertThat(response.isSuccessful()).isTrue();
        answers.add(response.bodyAsString().trim());
      }
      assertThat(answers).containsExactly("GET len=", "POST len=4", "PUT len=4", "PATCH len=10", "DELETE len=",
          "OPTIONS len=");
      MeshResponse head = mesh.call("edge", MeshRequest.head("/echo")).get(5, TimeUnit.SECONDS);
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.bodyLength()).isZero();
      assertThat(head.header("content-length")).isEqualTo(Integer.toString("HEAD len=\n".length()));
    }
    // nginx writes a request's log line once the request is finalized, which may be just after the
    // client has its answer: wait, with a bound, until the seventh line is there.
    List<String> logged = echoMethodsLogged();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (logged.size() < 7 && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      logged = echoMethodsLogged();
    }
    assertThat(logged).containsExactly("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD");
  }

  /** The methods of the requests for /echo in nginx's access log, in order. */
  private List<String> echoMethodsLogged() throws java.io.IOException {
    List<String> logged = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("access.log"))) {
      if (line.contains("/echo")) {
        logged.add(line.split(" ")[1].substring(1));
      }
    }
    return logged;
  }

  @Test
  void chunkedBody() throws Exception {
    CurlResponse curl = curl("/chunked.html");
    assertThat(curl.header("transfer-encoding")).as("nginx really sent it chunked").isEqualTo("chunked");
    MeshResponse response = sameAsCurl("/chunked.html");
    assertThat(response.bodyAsString()).contains("/chunked.html").endsWith("</p>\n");
    assertThat(response.headers().contains("transfer-encoding")).as("hop-by-hop framing is not passed on").isFalse();
  }

  @Test
  void headHasTheLengthButNoBody() throws Exception {
    MeshResponse response = sameAsCurl(MeshRequest.builder().method("HEAD").path("/static/file.txt").build(), "-I");
    assertThat(response.bodyLength()).isZero();
    assertThat(response.header("content-length")).isEqualTo(Integer.toString(21 * 200));
    // The connection is still in step: the next answer is read correctly.
    assertThat(send(MeshRequest.get("/fixed")).bodyAsString()).isEqualTo("a fixed-length body\n");
  }

  @Test
  void noContentAndNotModifiedCarryNoBody() throws Exception {
    assertThat(sameAsCurl("/empty").status()).isEqualTo(204);
    String etag = send(MeshRequest.get("/static/file.txt")).header("etag");
    MeshRequest conditional = MeshRequest.builder().path("/static/file.txt").header("if-none-match", etag).build();
    MeshResponse notModified = sameAsCurl(conditional, "-H", "If-None-Match: " + etag);
    assertThat(notModified.status()).isEqualTo(304);
    assertThat(send(MeshRequest.get("/fixed")).bodyAsString()).isEqualTo("a fixed-length body\n");
  }

  @Test
  void redirectIsReturnedNotFollowed() throws Exception {
    MeshResponse response = sameAsCurl("/moved");
    assertThat(response.status()).isEqualTo(302);
    assertThat(response.header("location")).endsWith("/fixed");
  }

  @Test
  void largeResponseHeadersAreAccepted() throws Exception {
    MeshResponse response = sameAsCurl("/big-headers");
    for (int i = 1; i <= BIG_HEADERS; i++) {
      assertThat(response.header("x-big-" + i)).hasSize(BIG_HEADER_LENGTH);
    }
  }

  @Test
  void keepAliveIsReusedAndConnectionCloseIsHonoured() throws Exception {
    sameAsCurl("/close");
    for (int i = 0; i < 3; i++) {
      send(MeshRequest.get("/fixed?after-close=" + i));
    }
    sameAsCurl("/close");
    send(MeshRequest.get("/fixed?after-second-close"));

    List<String> connections = connectionsOf("/close", "/fixed?after-close=", "/fixed?after-second-close");
    // nginx said close: the next request came on a new connection, and the ones after reused it.
    assertThat(connections.get(1)).isNotEqualTo(connections.get(0));
    assertThat(connections.subList(1, 4)).containsOnly(connections.get(1));
    assertThat(connections.get(5)).isNotEqualTo(connections.get(4));
  }

  private static MeshResponse sameAsCurl(String path) throws Exception {
    return sameAsCurl(MeshRequest.get(path));
  }

  /** Sends {@code request} through the transport and checks it reads what curl reads. */
  private static MeshResponse sameAsCurl(MeshRequest request, String... curlOptions) throws Exception {
    MeshResponse response = send(request);
    CurlResponse curl = curl(request.path(), curlOptions);
    assertThat(response.status()).as("status of %s", request).isEqualTo(curl.status());
    assertThat(response.body()).as("body of %s", request).isEqualTo(curl.body());
    for (String name : List.of("content-type", "location", "etag", "last-modified")) {
      assertThat(response.header(name)).as("%s of %s", name, request).isEqualTo(curl.header(name));
    }
    // Content-Length is kept as the server sent it, whatever the status and method.
    String length = curl.header("content-length");
    assertThat(response.header("content-length")).as("content-length of %s", request).isEqualTo(length);
    if (length != null && !request.method().equals("HEAD") && response.status() != 304) {
      assertThat(response.bodyLength()).as("body length of %s", request).isEqualTo(Integer.parseInt(length));
    }
    for (String name : curl.headers().keySet()) {
      if (name.startsWith("x-")) {
        assertThat(response.headers().getAll(name)).as(name).isEqualTo(curl.headers().get(name));
      }
    }
    return response;
  }

  private static MeshResponse send(MeshRequest request) throws Exception {
    return client.send(instance, request, TIMEOUT).get(5, TimeUnit.SECONDS);
  }

  private static CurlResponse curl(String path, String... options) throws Exception {
    List<String> command = new ArrayList<>(List.of(Binaries.curl().toString(), "-s", "-i", "--http1.1",
        "--max-time", "10"));
    command.addAll(List.of(options));
    command.add("http://127.0.0.1:" + port + path);
    ChildProcess.Result result = ChildProcess.run(dir, Duration.ofSeconds(15), command);
    assertThat(result.exitCode()).as("curl exit code; output: %s", result.text()).isZero();
    return CurlResponse.parse(result.output());
  }

  /** nginx's connection serial number of each logged request whose target starts with a prefix. */
  private static List<String> connectionsOf(String... prefixes) throws Exception {
    List<String> connections = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("access.log"))) {
      String[] fields = line.split(" ", 3); // $connection "$request" $status
      String target = fields[1].equals("\"GET") ? fields[2].split(" ")[0] : "";
      if (!line.contains("curl/")) {
        for (String prefix : prefixes) {
          if (target.startsWith(prefix)) {
            connections.add(fields[0]);
          }
        }
      }
    }
    return connections;
  }

  private static String config() {
    StringBuilder bigHeaders = new StringBuilder();
    for (int i = 1; i <= BIG_HEADERS; i++) {
      bigHeaders.append("      add_header X-Big-").append(i).append(" \"")
          .append(Character.toString('a' + i).repeat(BIG_HEADER_LENGTH)).append("\";\n");
    }
    return """
        daemon off;
        master_process off;
        worker_processes 1;
        pid DIR/nginx.pid;
        error_log DIR/error.log info;
        events { worker_connections 128; }
        http {
          types { text/html html; text/plain txt; }
          default_type text/plain;
          log_format conn '$connection "$request" $status "$http_user_agent"';
          access_log DIR/access.log conn;
          client_body_temp_path DIR/tmp/body;
          proxy_temp_path DIR/tmp/proxy;
          fastcgi_temp_path DIR/tmp/fastcgi;
          uwsgi_temp_path DIR/tmp/uwsgi;
          scgi_temp_path DIR/tmp/scgi;
          keepalive_timeout 60s;
          server {
            listen 127.0.0.1:PORT;
            root DIR/www;
            location = /fixed { return 200 "a fixed-length body\\n"; }
            location = /echo { return 200 "$request_method len=$content_length\\n"; }
            location = /chunked.html { ssi on; }
            location = /empty { return 204; }
            location = /moved { return 302 /fixed; }
            location = /close { keepalive_timeout 0; return 200 "bye\\n"; }
            location = /big-headers {
        BIG
              return 200 "big\\n";
            }
            location /static/ { etag on; }
          }
        }
        """.replace("DIR", dir.toString()).replace("PORT", Integer.toString(port))
        .replace("BIG\n", bigHeaders.toString());
  }
}
