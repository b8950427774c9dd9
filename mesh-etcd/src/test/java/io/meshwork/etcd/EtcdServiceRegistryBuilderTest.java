package io.meshwork.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.InvalidConfigurationException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad settings are rejected when given, with a message naming the field, the value and what was expected. */
class EtcdServiceRegistryBuilderTest {

  @TempDir
  Path dir;

  @Test
  void rejectsEndpointsThatAreNotHostAndPortUrls() {
    assertRejected(() -> EtcdServiceRegistry.builder().endpoints(),
        "endpoints: [] (expected: at least one etcd client URL)");
    assertRejected(() -> EtcdServiceRegistry.builder().endpoints("127.0.0.1:2379"),
        "endpoints: '127.0.0.1:2379' (expected: a URL such as http://127.0.0.1:2379)");
    assertRejected(() -> EtcdServiceRegistry.builder().endpoints("grpc://etcd-1:2379"),
        "endpoints: 'grpc://etcd-1:2379' (expected: scheme http or https)");
    assertRejected(() -> EtcdServiceRegistry.builder().endpoints("http://127.0.0.1"),
        "endpoints: 'http://127.0.0.1' (expected: an explicit port 1..65535");
    assertRejected(() -> EtcdServiceRegistry.builder().endpoints("http://127.0.0.1:2379/v3"),
        "endpoints: 'http://127.0.0.1:2379/v3' (expected: scheme://host:port only");
    assertRejected(() -> EtcdServiceRegistry.builder().endpoints("http://a:1", "https://b:2"),
        "endpoints: [http://a:1, https://b:2] (expected: all http or all https)");
    assertRejected(() -> EtcdServiceRegistry.builder().endpoints("http://exa mple:1"),
        "endpoints: 'http://exa mple:1' (expected: a URL such as http://127.0.0.1:2379)");
  }

  @Test
  void rejectsBadPrefixesTtlsAndTimeouts() {
    assertRejected(() -> EtcdServiceRegistry.builder().keyPrefix("meshwork"),
        "keyPrefix: 'meshwork' (expected: printable ASCII without spaces, starting and ending with '/'");
    assertRejected(() -> EtcdServiceRegistry.builder().keyPrefix("/a//b/"), "keyPrefix: '/a//b/'");
    assertRejected(() -> EtcdServiceRegistry.builder().leaseTtl(Duration.ofSeconds(1)),
        "leaseTtl: PT1S (expected: whole seconds, 2 s to 1 day)");
    assertRejected(() -> EtcdServiceRegistry.builder().leaseTtl(Duration.ofMillis(2500)),
        "leaseTtl: PT2.5S (expected: whole seconds");
    assertRejected(() -> EtcdServiceRegistry.builder().requestTimeout(Duration.ZERO),
        "requestTimeout: PT0S (expected: > 0 and <= 5 minutes)");
    assertRejected(() -> EtcdServiceRegistry.builder().connectTimeout(null),
        "connectTimeout: null (expected: > 0 and <= 5 minutes)");
    assertRejected(() -> EtcdServiceRegistry.builder().retryWritesFor(Duration.ofSeconds(-1)),
        "retryWritesFor: PT-1S (expected: 0 to 1 day)");
    assertRejected(() -> EtcdServiceRegistry.builder()
        .retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)),
        "retryBackoff: PT2S to PT1S (expected: max >= initial)");
  }

  @Test
  void rejectsMissingTlsFilesAndTlsFilesWithHttpEndpoints() throws Exception {
    Path missing = dir.resolve("missing.pem");
    assertRejected(() -> EtcdServiceRegistry.builder().trustedCertificates(missing),
        "trustedCertificates: " + missing + " (expected: a readable PEM file)");
    Path ca = Files.writeString(dir.resolve("ca.pem"), "not really a certificate");
    assertThatThrownBy(() -> EtcdServiceRegistry.builder().endpoints("http://127.0.0.1:2379")
        .trustedCertificates(ca).build())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("endpoints: [http://127.0.0.1:2379] use http but TLS files are set"
            + " (expected: https:// endpoints");
    assertThatThrownBy(() -> EtcdServiceRegistry.builder().endpoints("https://127.0.0.1:2379")
        .trustedCertificates(ca).build())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("TLS to etcd: cannot use the files");
  }

  @Test
  void failsClearlyAndInBoundedTimeWhenNoEtcdAnswers() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort(); // closed below: nothing listens there
    }
    String url = "http://127.0.0.1:" + port;
    long start = System.nanoTime();
    assertThatThrownBy(() -> EtcdServiceRegistry.builder().endpoints(url)
        .connectTimeout(Duration.ofMillis(500)).requestTimeout(Duration.ofSeconds(1)).build())
        .isInstanceOf(EtcdUnavailableException.class)
        .hasMessageStartingWith("etcd unreachable at [" + url + "]: read /meshwork/services/")
        .hasMessageEndingWith("connection refused to 127.0.0.1:" + port);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  private static void assertRejected(Runnable setter, String message) {
    assertThatThrownBy(setter::run).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
