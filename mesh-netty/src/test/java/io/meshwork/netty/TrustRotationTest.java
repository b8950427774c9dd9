package io.meshwork.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.TlsHandshakeException;
import io.meshwork.netty.testing.Instances;
import io.meshwork.netty.testing.TestCredentials;
import io.meshwork.policy.Protocol;
import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.MtlsMode;
import io.meshwork.security.RootRotation;
import io.meshwork.transport.ClientOptions;
import io.meshwork.transport.ServerOptions;
import io.meshwork.transport.TlsCredentials;
import io.meshwork.transport.TransportClient;
import io.meshwork.transport.TransportServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The trust anchors of the credentials are part of their generation, on both SSL providers: after a
 * rotation that drops the old root, the next connection a server accepts and the next one a client
 * opens verify the peer against the new anchors alone, while connections already open carry on.
 */
class TrustRotationTest {

  private final CertificateAuthority old = CertificateAuthority.create("cluster.local");
  private final CertificateAuthority next = CertificateAuthority.create("cluster.local");
  private final RootRotation rotation = RootRotation.of(old);
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  @ParameterizedTest(name = "OpenSSL {0}")
  @ValueSource(booleans = {true, false})
  void aServerRefusesACallerOfTheOldRootOnceItsRenewalDroppedIt(boolean openSsl) throws Exception {
    NettyTransport transport = transport(openSsl);
    rotation.begin(next);
    TestCredentials caller = TestCredentials.of(rotation, "order-service"); // of the old root, trusts both
    rotation.signWithNext();
    TestCredentials server = TestCredentials.of(rotation, "user-service"); // of the new root, trusts both
    TransportServer bound = bind(transport, server);
    TransportClient before = client(transport, caller);
    assertThat(send(before, bound).status()).as("during the overlap").isEqualTo(200);

    rotation.finish();
    server.rotate(); // the server's renewal: trusts the new root alone

    assertThat(send(before, bound).status()).as("the connection opened before").isEqualTo(200);
    assertThat(failure(client(transport, caller), bound)).isInstanceOf(TlsHandshakeException.class)
        .hasMessageContaining("the server refused our certificate");
    assertThat(send(client(transport, TestCredentials.of(rotation, "order-service")), bound).status())
        .as("a caller of the new root").isEqualTo(200);
  }

  @ParameterizedTest(name = "OpenSSL {0}")
  @ValueSource(booleans = {true, false})
  void aClientRefusesAServerOfTheOldRootOnceItsRenewalDroppedIt(boolean openSsl) throws Exception {
    NettyTransport transport = transport(openSsl);
    rotation.begin(next);
    TransportServer first = bind(transport, TestCredentials.of(rotation, "user-service"));
    TransportServer second = bind(transport, TestCredentials.of(rotation, "user-service"));
    TestCredentials caller = TestCredentials.of(rotation, "order-service");
    TransportClient client = client(transport, caller);
    assertThat(send(client, first).status()).isEqualTo(200);

    rotation.signWithNext();
    rotation.finish();
    caller.rotate(); // the client's renewal: a certificate of the new root, which alone it trusts

    assertThat(send(client, first).status()).as("the connection opened before").isEqualTo(200);
    assertThat(failure(client, second)).as("a new connection of the same client")
        .isInstanceOf(TlsHandshakeException.class)
        .hasMessageContaining("the server's certificate is not issued by a trusted authority");
  }

  private NettyTransport transport(boolean openSsl) {
    NettyTransport transport = NettyTransport.builder().eventLoopThreads(1).openSsl(openSsl)
        .shutdownGrace(Duration.ofSeconds(1)).build();
    closing.add(transport);
    return transport;
  }

  private TransportServer bind(NettyTransport transport, TlsCredentials credentials) {
    TransportServer server = transport.bind(ServerOptions.of("user-service", "127.0.0.1", 0)
        .withTls(MtlsMode.STRICT, credentials), request -> CompletableFuture.completedFuture(MeshResponse.ok("user")));
    closing.add(() -> server.close(Duration.ZERO));
    return server;
  }

  private TransportClient client(NettyTransport transport, TlsCredentials credentials) {
    TransportClient client = transport.client(new ClientOptions("user-service", Protocol.HTTP_2,
        Duration.ofSeconds(5), 1024 * 1024, credentials));
    closing.add(client);
    return client;
  }

  private static CompletableFuture<MeshResponse> call(TransportClient client, TransportServer server) {
    return client.send(Instances.local("user-service", server.port()), MeshRequest.get("/"),
        TimeUnit.SECONDS.toNanos(10));
  }

  private static MeshResponse send(TransportClient client, TransportServer server) throws Exception {
    return call(client, server).get(10, TimeUnit.SECONDS);
  }

  private static Throwable failure(TransportClient client, TransportServer server) throws Exception {
    try {
      MeshResponse response = send(client, server);
      throw new AssertionError("expected a refused handshake, got " + response.status());
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }
}
