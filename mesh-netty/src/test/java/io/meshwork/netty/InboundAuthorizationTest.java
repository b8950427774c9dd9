package io.meshwork.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.Mesh;
import io.meshwork.MeshResponse;
import io.meshwork.MeshServer;
import io.meshwork.netty.testing.RawClient;
import io.meshwork.netty.testing.RawClient.Response;
import io.meshwork.netty.testing.RawHttp2Connection;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.security.AuthorizationPolicy;
import io.meshwork.security.AuthorizationRule;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The authorization policy of {@code mesh.serve} decides on the request head, on the one normalized
 * form of the path that the handler then sees: no spelling of a denied path reaches the handler, over
 * HTTP/1.1 or HTTP/2, and a denied request is answered before its body is sent.
 */
class InboundAuthorizationTest {

  private static NettyTransport transport;
  private static Mesh mesh;
  private static MeshServer server;
  private static final List<String> seen = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void serve() {
    transport = NettyTransport.builder().eventLoopThreads(1).shutdownGrace(Duration.ofSeconds(1)).build();
    mesh = Mesh.builder().service("web").registry(new InMemoryServiceRegistry()).transport(transport)
        .authorization(AuthorizationPolicy.of(AuthorizationRule.allow(),
            AuthorizationRule.deny().toPaths("/admin/*").named("no-admin")))
        .shutdownGrace(Duration.ofSeconds(1)).build();
    server = mesh.serve(0, request -> {
      seen.add(request.method() + " " + request.path());
      return CompletableFuture.completedFuture(MeshResponse.ok("handled " + request.path()));
    });
  }

  @AfterAll
  static void stop() {
    mesh.close();
    transport.close();
  }

  @BeforeEach
  void forget() {
    seen.clear();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "/admin/secret, 403",
      "/%61dmin/secret, 403",
      "/adm%69n/secret, 403",
      "/%61%64%6d%69%6e/secret, 403",
      "/%61%64%6D%69%6E, 403",
      "//admin/secret, 403",
      "/public/../admin/secret, 403",
      "/./admin/./secret, 403",
      "/public/%2e%2e/admin/secret, 400",
      "/public/%2E./admin/secret, 400",
      "/admin%2fsecret, 400",
      "/admin%5Csecret, 400",
      "/admin\\secret, 400",
      "/%c0%ae%c0%ae/admin/secret, 400",
      "/admin/secret%00.html, 400",
      "/%ff/admin, 400",
      "/admin/secret%, 400",
      "/admin/secret%zz, 400"})
  void noSpellingOfADeniedPathReachesTheHandlerOverHttp1(String path, int status) throws Exception {
    try (RawClient client = new RawClient(server.port())) {
      client.send("GET " + path + " HTTP/1.1\r\nhost: web\r\n\r\n");
      Response response = client.read();
      assertThat(response.status()).as("GET %s; body %s", path, response.body()).isEqualTo(status);
    }
    assertThat(seen).as("requests the handler saw").isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "/%61dmin/secret, 403",
      "/adm%69n/secret, 403",
      "/%61%64%6d%69%6e/secret, 403",
      "//admin/secret, 403",
      "/public/../admin/secret, 403",
      "/public/%2e%2e/admin/secret, 400",
      "/admin%2Fsecret, 400",
      "/%c0%ae/admin, 400"})
  void noSpellingOfADeniedPathReachesTheHandlerOverHttp2(String path, int status) throws Exception {
    try (RawHttp2Connection connection = RawHttp2Connection.open(server.port())) {
      connection.headers(1, get(path), true);
      assertThat(connection.outcome(1)).as("GET %s", path).isEqualTo(":status " + status);
    }
    assertThat(seen).as("requests the handler saw").isEmpty();
  }

  @Test
  void theHandlerSeesThePathInTheFormTheRulesMatched() throws Exception {
    try (RawClient client = new RawClient(server.port())) {
      client.send("GET /public/%7Euser/./a%2db//c%3f/%e2%82%ac?q=%2F&r=/../x HTTP/1.1\r\nhost: web\r\n\r\n");
      assertThat(client.read().body()).isEqualTo("handled /public/~user/a-b/c%3F/%E2%82%AC?q=%2F&r=/../x");
    }
    try (RawHttp2Connection connection = RawHttp2Connection.open(server.port())) {
      connection.headers(1, get("/public/../%70ublic//%7e"), true);
      assertThat(connection.outcome(1)).isEqualTo(":status 200");
      assertThat(connection.body(1)).isEqualTo("handled /public/~");
    }
    assertThat(seen).containsExactly("GET /public/~user/a-b/c%3F/%E2%82%AC?q=%2F&r=/../x", "GET /public/~");
  }

  @Test
  void aFragmentNeverReachesTheHandler() throws Exception {
    try (RawClient client = new RawClient(server.port())) {
      client.send("GET /public/page#section HTTP/1.1\r\nhost: web\r\n\r\n");
      assertThat(client.read().status()).isEqualTo(400);
    }
    assertThat(seen).isEmpty();
  }

  @Test
  void aDeniedRequestIsAnsweredBeforeItsBodyIsSentOverHttp1() throws Exception {
    try (RawClient client = new RawClient(server.port())) {
      client.send("POST /admin/upload HTTP/1.1\r\nhost: web\r\ncontent-length: 1000000\r\n\r\n");
      assertThat(client.read().status()).as("answered with no body byte sent").isEqualTo(403);
    }
    assertThat(seen).isEmpty();
  }

  @Test
  void aDeniedRequestIsAnsweredBeforeItsBodyIsSentOverHttp2() throws Exception {
    try (RawHttp2Connection connection = RawHttp2Connection.open(server.port())) {
      Http2Headers post = new DefaultHttp2Headers().method("POST").path("/admin/upload").scheme("http")
          .authority("web").setInt("content-length", 1_000_000);
      connection.headers(1, post, false);
      assertThat(connection.outcome(1)).as("answered with no DATA sent").isEqualTo(":status 403");
    }
    assertThat(seen).isEmpty();
  }

  private static Http2Headers get(String path) {
    return new DefaultHttp2Headers(false).method("GET").path(path).scheme("http").authority("web");
  }
}
