package io.meshwork.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.ConnectFailedException;
import io.meshwork.MeshHandler;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.netty.testing.Instances;
import io.meshwork.netty.testing.TestCredentials;
import io.meshwork.policy.Protocol;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.KeyAlgorithm;
import io.meshwork.security.MtlsMode;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.transport.ClientOptions;
import io.meshwork.transport.ServerOptions;
import io.meshwork.transport.TlsCredentials;
import io.meshwork.transport.TransportClient;
import io.meshwork.transport.TransportServer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mutual TLS through the transport SPI alone, with credentials the test rotates itself: RSA keys,
 * a server rotating under an open connection, and a server that never answers the handshake.
 */
class MtlsTransportTest {

  private static final CertificateAuthority AUTHORITY = CertificateAuthority.create("cluster.local");
  private static final MeshHandler WHO = request -> CompletableFuture.completedFuture(
      MeshResponse.ok(request.peerIdentity().map(WorkloadIdentity::spiffeId).orElse("unknown")));

  private final NettyTransport transport = NettyTransport.builder().eventLoopThreads(2)
      .shutdownGrace(Duration.ofSeconds(1)).build();
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
    transport.close();
  }

  @ParameterizedTest(name = "OpenSSL {0}")
  @ValueSource(booleans = {true, false})
  void rsaKeysOnBothEndsHandshake(boolean openSsl) throws Exception {
    NettyTransport provider = NettyTransport.builder().eventLoopThreads(1).openSsl(openSsl).build();
    closing.add(provider);
    TestCredentials server = TestCredentials.of(AUTHORITY, "user-service", KeyAlgorithm.RSA_2048);
    TestCredentials client = TestCredentials.of(AUTHORITY, "order-service", KeyAlgorithm.RSA_2048);
    TransportServer bound = provider.bind(ServerOptions.of("user-service", "127.0.0.1", 0)
        .withTls(MtlsMode.STRICT, server), WHO);
    closing.add(() -> bound.close(Duration.ZERO));
    TransportClient tls = provider.client(new ClientOptions("user-service", Protocol.HTTP_2, Duration.ofSeconds(2),
        1024 * 1024, client));
    closing.add(tls);

    assertThat(send(tls, bound).bodyAsString()).isEqualTo("spiffe://cluster.local/ns/default/sa/order-service");
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aServerRotationServesNewConnectionsWhileOpenOnesCarryOn(Protocol protocol) throws Exception {
    TestCredentials server = TestCredentials.of(AUTHORITY, "user-service");
    TransportServer bound = bind(server);
    TestCredentials first = TestCredentials.of(AUTHORITY, "order-service");
    TransportClient before = client(first, protocol);
    assertThat(send(before, bound).status()).isEqualTo(200);
    BigInteger old = server.serial();
    assertThat(first.checkedSerials()).contains(old);

    BigInteger renewed = server.rotate();
    assertThat(send(before, bound).status()).as("the open connection after the rotation").isEqualTo(200);
    assertThat(first.checkedSerials()).as("no new handshake on the open connection").doesNotContain(renewed);

    TestCredentials second = TestCredentials.of(AUTHORITY, "order-service");
    assertThat(send(client(second, protocol), bound).status()).isEqualTo(200);
    assertThat(second.checkedSerials()).as("a new connection meets the new certificate").contains(renewed)
        .doesNotContain(old);
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aHandshakeThatNeverEndsIsAConnectFailureAfterTheConnectTimeout(Protocol protocol) throws Exception {
    // Accepted by the kernel's backlog, never answered.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      TestCredentials client = TestCredentials.of(AUTHORITY, "order-service");
      TransportClient tls = transport.client(new ClientOptions("user-service", protocol, Duration.ofMillis(300),
          1024 * 1024, client));
      closing.add(tls);
      CompletableFuture<MeshResponse> call = tls.send(Instances.local("user-service", silent.getLocalPort()),
          MeshRequest.get("/"), TimeUnit.SECONDS.toNanos(10));
      try {
        call.get(10, TimeUnit.SECONDS);
        throw new AssertionError("expected a failure");
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(ConnectFailedException.class)
            .hasMessageContaining("TLS handshake with 127.0.0.1:" + silent.getLocalPort() + " did not complete")
            .hasMessageContaining("timed out after 300ms");
      }
    }
  }

  @Test
  void aPermissiveServerTellsPlaintextFromTlsOnOnePort() throws Exception {
    TestCredentials server = TestCredentials.of(AUTHORITY, "user-service");
    TransportServer bound = transport.bind(ServerOptions.of("user-service", "127.0.0.1", 0)
        .withTls(MtlsMode.PERMISSIVE, server), WHO);
    closing.add(() -> bound.close(Duration.ZERO));
    TransportClient plain = transport.client(Instances.client("user-service", Protocol.HTTP_1_1));
    closing.add(plain);

    assertThat(send(plain, bound).bodyAsString()).isEqualTo("unknown");
    assertThat(send(client(TestCredentials.of(AUTHORITY, "order-service"), Protocol.HTTP_1_1), bound)
        .bodyAsString()).isEqualTo("spiffe://cluster.local/ns/default/sa/order-service");
  }

  private TransportServer bind(TlsCredentials credentials) {
    TransportServer server = transport.bind(ServerOptions.of("user-service", "127.0.0.1", 0)
        .withTls(MtlsMode.STRICT, credentials), WHO);
    closing.add(() -> server.close(Duration.ZERO));
    return server;
  }

  private TransportClient client(TlsCredentials credentials, Protocol protocol) {
    TransportClient client = transport.client(new ClientOptions("user-service", protocol, Duration.ofSeconds(2),
        1024 * 1024, credentials));
    closing.add(client);
    return client;
  }

  private static MeshResponse send(TransportClient client, TransportServer server) throws Exception {
    ServiceInstance instance = Instances.local("user-service", server.port());
    return client.send(instance, MeshRequest.get("/"), TimeUnit.SECONDS.toNanos(10)).get(10, TimeUnit.SECONDS);
  }
}
