package io.meshwork.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What a new user sees when etcd is not there: {@code build()} fails within the connect timeout and
 * says why (connection refused, to which address), and says so when the endpoint is the default
 * one because none was set.
 */
class EtcdUnreachableAtBuildTest {

  @Test
  void aRefusedConnectionIsNamedAndFailsWithinTheConnectTimeout() throws IOException {
    int port = closedPort();
    long start = System.nanoTime();
    // Default timeouts: what a user gets (connect 3 s, request 5 s).
    assertThatThrownBy(() -> EtcdServiceRegistry.builder().endpoints("http://127.0.0.1:" + port).build())
        .isInstanceOf(EtcdUnavailableException.class)
        .hasMessageStartingWith("etcd unreachable at [http://127.0.0.1:" + port + "]: ")
        .hasMessageContaining("connection refused to 127.0.0.1:" + port)
        .message().doesNotContain("io exception");
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    System.out.println("MEASURED: build() against a refused port failed after " + took.toMillis() + " ms");
    assertThat(took).isLessThan(Duration.ofSeconds(3).plusMillis(1500));
  }

  @Test
  void withoutEndpointsTheDefaultIsNamedInTheSettingsAndTheError() {
    EtcdSettings defaults = EtcdServiceRegistry.builder().settings();
    assertThat(defaults.endpointList())
        .isEqualTo("[http://127.0.0.1:2379] (the default: no endpoints(...) set)");
    EtcdSettings chosen = EtcdServiceRegistry.builder().endpoints("http://127.0.0.1:2379").settings();
    assertThat(chosen.endpointList()).isEqualTo("[http://127.0.0.1:2379]");

    assumeThat(listening(2379)).as("something listens on 127.0.0.1:2379: the refused case cannot be shown")
        .isFalse();
    assertThatThrownBy(() -> EtcdServiceRegistry.builder().build())
        .isInstanceOf(EtcdUnavailableException.class)
        .hasMessageStartingWith("etcd unreachable at [http://127.0.0.1:2379] (the default: no endpoints(...) set): ")
        .hasMessageContaining("connection refused to 127.0.0.1:2379");
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort(); // closed below: nothing listens there
    }
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }
}
