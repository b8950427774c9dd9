package io.meshwork.netty;

import static io.meshwork.netty.testing.Instances.local;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.Mesh;
import io.meshwork.MeshException;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.internal.DefaultMesh;
import io.meshwork.netty.internal.server.NettyServer;
import io.meshwork.netty.testing.ChildProcess;
import io.meshwork.policy.Protocol;
import io.meshwork.policy.ServerLimits;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.MtlsMode;
import io.meshwork.transport.ServerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The call API over real sockets: every method, warm-up, and clear errors at start and stop. */
class MeshCallApiTest {

  private final InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T resource) {
    closing.add(resource);
    return resource;
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void everyRequestFactoryReachesMeshServeWithItsMethodAndBody(Protocol protocol) throws Exception {
    NettyTransport transport = closeLater(NettyTransport.create());
    Mesh users = closeLater(Mesh.builder().service("user-service").registry(registry).transport(transport).build());
    users.serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok(
        request.method() + " " + request.bodyLength() + " " + request.bodyAsString())));
    Mesh orders = closeLater(Mesh.builder().service("order-service").registry(registry).transport(transport)
        .defaultPolicy(ServicePolicy.builder().protocol(protocol).build()).build());
    List<String> answers = new ArrayList<>();
    for (MeshRequest request : List.of(MeshRequest.get("/"), MeshRequest.post("/", "a"), MeshRequest.put("/", "bb"),
        MeshRequest.patch("/", "ccc"), MeshRequest.delete("/"), MeshRequest.options("/"))) {
      answers.add(orders.call("user-service", request).get(5, TimeUnit.SECONDS).bodyAsString());
    }
    assertThat(answers).containsExactly("GET 0 ", "POST 1 a", "PUT 2 bb", "PATCH 3 ccc", "DELETE 0 ", "OPTIONS 0 ");
    MeshResponse head = orders.call("user-service", MeshRequest.head("/")).get(5, TimeUnit.SECONDS);
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.bodyLength()).isZero();
  }

  @Test
  void warmUpOpensTheConnectionsWithTheirHandshakesBeforeTheFirstCall() throws Exception {
    CertificateAuthority authority = CertificateAuthority.create("cluster.local");
    NettyTransport transport = closeLater(NettyTransport.builder().eventLoopThreads(2).build());
    Mesh users = closeLater(Mesh.builder().service("user-service").registry(registry).transport(transport)
        .certificateAuthority(authority).build());
    // The server bound straight on the transport, with the mesh's credentials, to count its connections.
    NettyServer listening = (NettyServer) transport.bind(ServerOptions.of("user-service", "127.0.0.1", 0,
        ServerLimits.defaults()).withTls(MtlsMode.STRICT, ((DefaultMesh) users).tlsCredentials()),
        request -> CompletableFuture.completedFuture(MeshResponse.ok("hi")));
    closeLater(() -> listening.close(Duration.ZERO));
    registry.register(local("user-service", listening.port())).join();
    Mesh orders = closeLater(Mesh.builder().service("order-service").registry(registry).transport(transport)
        .certificateAuthority(authority).build());
    assertThat(listening.acceptedConnections()).isZero();
    orders.warmUp("user-service").get(10, TimeUnit.SECONDS);
    long warmed = listening.acceptedConnections();
    assertThat(warmed).as("one connection per event loop").isEqualTo(2);
    for (int i = 0; i < 20; i++) {
      assertThat(orders.call("user-service", MeshRequest.get("/")).get(5, TimeUnit.SECONDS).bodyAsString()).isEqualTo("hi");
    }
    assertThat(listening.acceptedConnections()).as("the calls used the warm connections").isEqualTo(warmed);
  }

  @Test
  void aPortInUseIsReportedInWordsNotAsNettysException() throws Exception {
    NettyTransport transport = closeLater(NettyTransport.create());
    Mesh first = closeLater(Mesh.builder().service("user-service").registry(registry).transport(transport).build());
    int port = first.serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok("1"))).instance().port();
    Mesh second = closeLater(Mesh.builder().service("user-service").registry(registry).transport(transport).build());
    assertThatThrownBy(() -> second.serve(port, request -> CompletableFuture.completedFuture(MeshResponse.ok("2"))))
        .isInstanceOf(MeshException.class)
        .hasMessage("user-service: port " + port + " on 127.0.0.1 is already in use (expected: a free port, or 0"
            + " for any free one)");
  }

  @Test
  void closingAMeshWithMtlsLeavesNoTimerThreadBehind(@TempDir Path dir) throws Exception {
    ChildProcess.Result result = ChildProcess.run(dir, Duration.ofSeconds(60), List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
        MtlsMeshLifecycle.class.getName()));
    assertThat(result.text()).contains("threads after close: []");
    assertThat(result.exitCode()).as(result.text()).isZero();
  }
}
