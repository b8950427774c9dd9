package io.meshwork.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.AttemptEvent;
import io.meshwork.Mesh;
import io.meshwork.MeshBuilder;
import io.meshwork.MeshListener;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.MeshServer;
import io.meshwork.TlsHandshakeException;
import io.meshwork.internal.DefaultMesh;
import io.meshwork.policy.Protocol;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.MtlsMode;
import io.meshwork.security.WorkloadIdentity;
import io.netty.handler.ssl.SslProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Meshes calling each other over mutual TLS through the Netty transport, with certificates from one
 * built-in CA: both protocols (HTTP/2 negotiated by ALPN), both SSL providers on either end, and
 * the refusals the in-memory transport simulates, now made by real handshakes.
 */
class MtlsMeshTest {

  private static final WorkloadIdentity ORDERS =
      WorkloadIdentity.parse("spiffe://cluster.local/ns/default/sa/order-service");

  private final CertificateAuthority authority = CertificateAuthority.create("cluster.local");
  private final InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final List<WorkloadIdentity> callers = new CopyOnWriteArrayList<>();
  private final AtomicInteger attempts = new AtomicInteger();

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  static Stream<Arguments> providersAndProtocols() {
    List<Arguments> all = new ArrayList<>();
    for (Protocol protocol : Protocol.values()) {
      all.add(Arguments.of(true, true, protocol));
      all.add(Arguments.of(false, false, protocol));
      all.add(Arguments.of(true, false, protocol));
      all.add(Arguments.of(false, true, protocol));
    }
    return all.stream();
  }

  @ParameterizedTest(name = "client OpenSSL {0}, server OpenSSL {1}, {2}")
  @MethodSource("providersAndProtocols")
  void meshesCallEachOtherAndTheHandlerSeesTheCaller(boolean clientOpenSsl, boolean serverOpenSsl,
      Protocol protocol) throws Exception {
    NettyTransport serverTransport = transport(serverOpenSsl);
    NettyTransport clientTransport = transport(clientOpenSsl);
    assertThat(serverTransport.sslProvider()).isEqualTo(serverOpenSsl ? SslProvider.OPENSSL : SslProvider.JDK);
    assertThat(clientTransport.sslProvider()).isEqualTo(clientOpenSsl ? SslProvider.OPENSSL : SslProvider.JDK);
    serveUsers(mesh(builder("user-service", serverTransport)));
    Mesh orders = mesh(builder("order-service", clientTransport).defaultPolicy(policy(protocol)));

    List<CompletableFuture<MeshResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      calls.add(orders.call("user-service", MeshRequest.get("/users/" + i)));
    }
    for (CompletableFuture<MeshResponse> call : calls) {
      assertThat(call.get(10, TimeUnit.SECONDS).bodyAsString()).isEqualTo("user");
    }
    assertThat(callers).hasSize(50).containsOnly(ORDERS);
  }

  @ParameterizedTest(name = "OpenSSL {0}, {1}")
  @MethodSource("providersAndProtocolsOnBothEnds")
  void aServerPresentingAnotherServicesIdentityIsRefusedOnce(boolean openSsl, Protocol protocol) throws Exception {
    MeshServer impostor = serveUsers(mesh(builder("billing-service", transport(openSsl))));
    registry.register(ServiceInstance.builder("user-service", "impostor").host("127.0.0.1")
        .port(impostor.port()).build()).join();
    Mesh orders = mesh(builder("order-service", transport(openSsl)).defaultPolicy(policy(protocol)));

    Throwable failure = failureOf(orders.call("user-service", MeshRequest.get("/users/1")));
    assertThat(failure).isInstanceOf(TlsHandshakeException.class)
        .hasMessageContaining("TLS handshake with 127.0.0.1:" + impostor.port() + " failed")
        .hasMessageContaining("identity mismatch: expected spiffe://cluster.local/ns/default/sa/user-service,"
            + " the server presented spiffe://cluster.local/ns/default/sa/billing-service");
    assertThat(attempts).as("attempts").hasValue(1);
    assertThat(callers).isEmpty();
  }

  @ParameterizedTest(name = "OpenSSL {0}, {1}")
  @MethodSource("providersAndProtocolsOnBothEnds")
  void aRevokedCallerIsRefusedAtTheHandshakeAndNotRetried(boolean openSsl, Protocol protocol) throws Exception {
    serveUsers(mesh(builder("user-service", transport(openSsl))));
    Mesh orders = mesh(builder("order-service", transport(openSsl)).defaultPolicy(policy(protocol)));
    authority.revoke(((DefaultMesh) orders).tlsCredentials().current().certificate().getSerialNumber());

    Throwable failure = failureOf(orders.call("user-service", MeshRequest.get("/users/1")));
    // TLS 1.3: the server checks the client's certificate after the client finished its side, so
    // the refusal arrives as an alert in place of the first response; BoringSSL names the reason.
    assertThat(failure).isInstanceOf(TlsHandshakeException.class)
        .hasMessageContaining("TLS handshake with 127.0.0.1:")
        .hasMessageContaining("the server refused our certificate")
        .hasMessageContaining(openSsl ? "CERTIFICATE_REVOKED" : "Received fatal alert: certificate_");
    assertThat(attempts).as("attempts").hasValue(1);
    assertThat(callers).isEmpty();
  }

  static Stream<Arguments> providersAndProtocolsOnBothEnds() {
    List<Arguments> all = new ArrayList<>();
    for (Protocol protocol : Protocol.values()) {
      all.add(Arguments.of(true, protocol));
      all.add(Arguments.of(false, protocol));
    }
    return all.stream();
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aPermissiveServerTakesBothAndOnlyMtlsCallersHaveAnIdentity(Protocol protocol) throws Exception {
    NettyTransport transport = transport(true);
    serveUsers(mesh(builder("user-service", transport).mtls(MtlsMode.PERMISSIVE)));
    Mesh plain = mesh(Mesh.builder().service("plain-caller").registry(registry).transport(transport)
        .defaultPolicy(policy(protocol)).shutdownGrace(Duration.ofSeconds(1)));
    Mesh secure = mesh(builder("order-service", transport).defaultPolicy(policy(protocol)));

    assertThat(plain.call("user-service", MeshRequest.get("/")).get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    assertThat(secure.call("user-service", MeshRequest.get("/")).get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    assertThat(callers).containsExactly(null, ORDERS);
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aPlaintextCallerOfAStrictServerIsRefusedInBoundedTime(Protocol protocol) throws Exception {
    NettyTransport transport = transport(true);
    serveUsers(mesh(builder("user-service", transport)));
    Mesh plain = mesh(Mesh.builder().service("plain-caller").registry(registry).transport(transport)
        .defaultPolicy(policy(protocol)).shutdownGrace(Duration.ofSeconds(1)));

    CompletableFuture<MeshResponse> call = plain.call("user-service", MeshRequest.get("/"));
    if (protocol == Protocol.HTTP_1_1) {
      // Told, as Go's servers tell HTTP sent to an HTTPS port; a 400 is not retried.
      MeshResponse refused = call.get(10, TimeUnit.SECONDS);
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.bodyAsString()).contains("this server requires mutual TLS");
    } else {
      // The connection closes before the server's SETTINGS: nothing was sent, and no reconnect loop.
      assertThat(failureOf(call)).hasMessageContaining("closed before the server's HTTP/2 SETTINGS arrived");
    }
    assertThat(callers).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aTlsCallerOfAPlaintextServerIsToldItDoesNotSpeakTls(Protocol protocol) throws Exception {
    NettyTransport transport = transport(true);
    serveUsers(mesh(Mesh.builder().service("user-service").registry(registry).transport(transport)
        .shutdownGrace(Duration.ofSeconds(1))));
    Mesh orders = mesh(builder("order-service", transport).defaultPolicy(policy(protocol)));

    assertThat(failureOf(orders.call("user-service", MeshRequest.get("/")))).isInstanceOf(TlsHandshakeException.class)
        .hasMessageContaining("does not speak TLS");
    assertThat(attempts).hasValue(1);
  }

  private NettyTransport transport(boolean openSsl) {
    NettyTransport transport = NettyTransport.builder().eventLoopThreads(2).openSsl(openSsl)
        .shutdownGrace(Duration.ofSeconds(1)).build();
    closing.add(transport);
    return transport;
  }

  private MeshBuilder builder(String service, NettyTransport transport) {
    return Mesh.builder().service(service).registry(registry).transport(transport).certificateAuthority(authority)
        .listener(new MeshListener() {
          @Override
          public void onAttempt(AttemptEvent event) {
            attempts.incrementAndGet();
          }
        })
        .shutdownGrace(Duration.ofSeconds(1));
  }

  private Mesh mesh(MeshBuilder builder) {
    Mesh mesh = builder.build();
    closing.add(mesh);
    return mesh;
  }

  private MeshServer serveUsers(Mesh mesh) {
    return mesh.serve(0, request -> {
      callers.add(request.peerIdentity().orElse(null));
      return CompletableFuture.completedFuture(MeshResponse.ok("user"));
    });
  }

  private static ServicePolicy policy(Protocol protocol) {
    // A burst of calls opens a connection each, over both loops: on a busy machine their handshakes
    // may take longer than the default 2 s, which is no part of what these tests check.
    return ServicePolicy.builder().protocol(protocol).timeout(Duration.ofSeconds(10))
        .connectTimeout(Duration.ofSeconds(8)).build();
  }

  private static Throwable failureOf(CompletableFuture<MeshResponse> call) throws Exception {
    try {
      MeshResponse unexpected = call.get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + unexpected);
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }
}
