package io.meshwork.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.MeshResponse;
import io.meshwork.netty.testing.Binaries;
import io.meshwork.netty.testing.ChildProcess;
import io.meshwork.netty.testing.PemBundle;
import io.meshwork.netty.testing.TestCredentials;
import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.MtlsMode;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.time.FakeTicker;
import io.meshwork.transport.ServerOptions;
import io.meshwork.transport.TransportServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS sessions resumed by {@code openssl s_client} with the ticket or session id of an earlier
 * connection: the client certificate they carry is checked again, so one that has expired since is
 * refused as on a fresh handshake; sessions live minutes, not days. The server judges validity (and
 * times its ticket keys) by a FakeTicker's clock, moved on between the connections.
 */
class SessionResumptionTest {

  private static final WorkloadIdentity ORDERS = WorkloadIdentity.of("cluster.local", "default", "order-service");

  @TempDir
  Path dir;
  private final CertificateAuthority authority = CertificateAuthority.create("cluster.local");
  private final FakeTicker time = new FakeTicker(java.time.Instant.now());
  private final List<AutoCloseable> closing = new ArrayList<>();

  static Stream<Arguments> providersAndVersions() {
    return Stream.of(Arguments.of(true, "-tls1_3"), Arguments.of(true, "-tls1_2"),
        Arguments.of(false, "-tls1_3"), Arguments.of(false, "-tls1_2"));
  }

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  @ParameterizedTest(name = "OpenSSL server {0}, {1}")
  @MethodSource("providersAndVersions")
  void aResumedSessionWhoseCertificateHasSinceExpiredIsRefused(boolean openSsl, String version) throws Exception {
    int port = serve(openSsl);
    // Expires within the session lifetime, so the ticket of its session is still accepted.
    PemBundle client = PemBundle.write(dir, "client", authority.issue(ORDERS, Duration.ofMinutes(3)), authority);
    Path session = dir.resolve("session.pem");

    String first = sClient(port, client, version, "-sess_out", session.toString());
    assertThat(first).as("first connection").contains("New, TLSv1.").contains("HTTP/1.1 200").contains("served");
    assertThat(Files.exists(session)).as("s_client kept the session").isTrue();
    String resumedInTime = sClient(port, client, version, "-sess_in", session.toString());
    assertThat(resumedInTime).as("resumed while valid").contains("Reused, TLSv1.").contains("HTTP/1.1 200");

    time.advance(Duration.ofMinutes(4));
    String resumedLate = sClient(port, client, version, "-sess_in", session.toString());
    assertThat(resumedLate).as("resumed after expiry").contains("Reused, TLSv1.").doesNotContain("HTTP/1.1 200");
    String fresh = sClient(port, client, version);
    assertThat(fresh).as("fresh handshake after expiry").doesNotContain("HTTP/1.1 200");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"-tls1_3", "-tls1_2"})
  void theJdkProvidersSessionsLiveFiveMinutesNotDays(String version) throws Exception {
    int port = serve(false);
    PemBundle client = PemBundle.write(dir, "client", authority.issue(ORDERS), authority);
    String output = sClient(port, client, version);
    Matcher hint = Pattern.compile("ticket lifetime hint: (\\d+)").matcher(output);
    assertThat(hint.find()).as("s_client output:\n%s", output).isTrue();
    assertThat(Long.parseLong(hint.group(1))).as("ticket lifetime, s").isBetween(1L, 300L);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"-tls1_3", "-tls1_2"})
  void boringSslTicketsOlderThanFiveMinutesAreNotResumed(String version) throws Exception {
    int port = serve(true);
    PemBundle client = PemBundle.write(dir, "client", authority.issue(ORDERS, Duration.ofHours(1)), authority);
    Path session = dir.resolve("session.pem");
    assertThat(sClient(port, client, version, "-sess_out", session.toString())).contains("HTTP/1.1 200");

    time.advance(Duration.ofMinutes(6));
    String late = sClient(port, client, version, "-sess_in", session.toString());
    assertThat(late).as("a full handshake instead").contains("New, TLSv1.").doesNotContain("Reused")
        .contains("HTTP/1.1 200");
  }

  private int serve(boolean openSsl) {
    NettyTransport transport = NettyTransport.builder().eventLoopThreads(1).openSsl(openSsl)
        .shutdownGrace(Duration.ofSeconds(1)).build();
    closing.add(transport);
    TestCredentials credentials = TestCredentials.of(authority, "user-service").clockedBy(time.clock());
    TransportServer server = transport.bind(ServerOptions.of("user-service", "127.0.0.1", 0)
        .withTls(MtlsMode.STRICT, credentials), request -> CompletableFuture.completedFuture(MeshResponse.ok("served")));
    closing.add(server);
    return server.port();
  }

  private String sClient(int port, PemBundle client, String version, String... session) throws Exception {
    Path request = Files.writeString(dir.resolve("request.txt"),
        "GET / HTTP/1.1\r\nHost: user-service\r\nConnection: close\r\n\r\n");
    List<String> command = new ArrayList<>(List.of(Binaries.openssl().toString(), "s_client",
        "-connect", "127.0.0.1:" + port, version, "-CAfile", client.trustedRoot().toString(),
        "-cert", client.certificate().toString(), "-key", client.key().toString(), "-ign_eof"));
    command.addAll(List.of(session));
    return ChildProcess.run(dir, Duration.ofSeconds(30), command, request).text();
  }
}
