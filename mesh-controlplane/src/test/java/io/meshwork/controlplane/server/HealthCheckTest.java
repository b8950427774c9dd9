package io.meshwork.controlplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.meshwork.netty.testing.Ports;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image's health check: the exit code for a healthy, an unhealthy and an absent control plane. */
class HealthCheckTest {

  @TempDir
  Path directory;

  private final ByteArrayOutputStream errors = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(errors, true, StandardCharsets.UTF_8);

  @Test
  void answersZeroWhenTheControlPlaneAnswersHealthy() {
    try (TestControlPlane controlPlane = new TestControlPlane(directory)) {
      String port = Integer.toString(controlPlane.server().port());
      // The image's MESHWORK_HOST=0.0.0.0 listens everywhere: the check asks on loopback.
      assertThat(HealthCheck.run(Map.of("MESHWORK_HOST", "0.0.0.0", "MESHWORK_PORT", port), new String[0], err))
          .as(errors.toString(StandardCharsets.UTF_8)).isZero();
      // its flags win over the variables, as the control plane's do
      assertThat(HealthCheck.run(Map.of("MESHWORK_PORT", "1"), new String[] {"--port", port}, err)).isZero();
    }
  }

  @Test
  void answersOneWhenNothingListens() throws Exception {
    int port = Ports.free();
    assertThat(HealthCheck.run(Map.of("MESHWORK_PORT", Integer.toString(port)), new String[0], err)).isEqualTo(1);
    assertThat(errors.toString(StandardCharsets.UTF_8)).contains("http://127.0.0.1:" + port + "/health", "Connect");
  }

  @Test
  void answersOneWhenHealthIsNotOk() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/health", exchange -> {
      byte[] body = "{\"status\":\"unhealthy\"}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(503, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try {
      String port = Integer.toString(server.getAddress().getPort());
      assertThat(HealthCheck.run(Map.of("MESHWORK_PORT", port), new String[0], err)).isEqualTo(1);
      assertThat(errors.toString(StandardCharsets.UTF_8)).contains("answered 503 {\"status\":\"unhealthy\"}");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void answersTwoForBadOptionsNamingThem() {
    assertThat(HealthCheck.run(Map.of("MESHWORK_PORT", "eighty"), new String[0], err)).isEqualTo(2);
    assertThat(errors.toString(StandardCharsets.UTF_8)).contains("MESHWORK_PORT: 'eighty'");
  }

  @Test
  void asksIpv6WildcardsOnIpv6Loopback() {
    assertThat(HealthCheck.healthUri(ControlPlaneServer.builder().host("::").port(8080).settings()))
        .hasToString("http://[::1]:8080/health");
    assertThat(HealthCheck.healthUri(ControlPlaneServer.builder().host("10.0.0.5").port(9090).settings()))
        .hasToString("http://10.0.0.5:9090/health");
  }
}
