package io.meshwork.bench.backend;

import io.meshwork.Mesh;
import io.meshwork.MeshBuilder;
import io.meshwork.MeshResponse;
import io.meshwork.MeshServer;
import io.meshwork.netty.NettyTransport;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.security.CertificateAuthority;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Backend instances that are Meshwork servers ({@code mesh.serve}), for the mTLS comparison: with
 * a certificate authority they serve STRICT mTLS as service {@code backend}; without one, plaintext,
 * so mTLS can be compared with plaintext on the same kind of server.
 */
final class MeshBackends implements AutoCloseable {

  private static final CompletableFuture<MeshResponse> OK = CompletableFuture.completedFuture(
      MeshResponse.builder().status(200).header("content-type", "application/octet-stream")
          .body(PlainHttpServer.bodyBytes()).build());

  private final NettyTransport transport;
  private final Mesh mesh;
  private final List<MeshServer> servers = new ArrayList<>();

  /** Serves {@code instances} ports; {@code authority} null for plaintext. */
  MeshBackends(int instances, int threads, CertificateAuthority authority) {
    this.transport = NettyTransport.builder().eventLoopThreads(threads).build();
    MeshBuilder builder = Mesh.builder().service("backend").registry(new InMemoryServiceRegistry())
        .transport(transport).telemetry(io.meshwork.bench.client.BenchTelemetry.config());
    if (authority != null) {
      builder.certificateAuthority(authority);
    }
    Mesh built = null;
    try {
      built = builder.build();
      for (int i = 0; i < instances; i++) {
        servers.add(built.serve(0, request -> OK));
      }
    } catch (RuntimeException e) {
      if (built != null) {
        built.close();
      }
      transport.close();
      throw e;
    }
    this.mesh = built;
  }

  List<Integer> ports() {
    List<Integer> ports = new ArrayList<>();
    for (MeshServer server : servers) {
      ports.add(server.port());
    }
    return ports;
  }

  @Override
  public void close() {
    mesh.close();
    transport.close();
  }
}
