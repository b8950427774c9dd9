package io.meshwork;

import io.meshwork.policy.Protocol;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.time.FakeTicker;
import io.meshwork.transport.ClientOptions;
import io.meshwork.transport.InMemoryTransport;
import io.meshwork.transport.TransportClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Meshes of one test on one in-memory registry and transport, on fake time; closed together. */
final class TestMeshes implements AutoCloseable {

  final FakeTicker ticker = new FakeTicker();
  final InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
  final InMemoryTransport network = new InMemoryTransport(ticker);
  private final List<Mesh> meshes = new ArrayList<>();

  /** A builder already on this test's registry, transport, ticker and a seeded random source. */
  MeshBuilder builder(String service) {
    return Mesh.builder().service(service).registry(registry).transport(network).ticker(ticker)
        .random(new Random(42)).shutdownGrace(Duration.ZERO);
  }

  /** A mesh of {@code service} whose calls use {@code policy}. */
  Mesh mesh(String service, ServicePolicy policy) {
    return add(builder(service).defaultPolicy(policy).build());
  }

  Mesh add(Mesh mesh) {
    meshes.add(mesh);
    return mesh;
  }

  /** Serves {@code handler} as one more instance of {@code service}. */
  MeshServer serve(String service, MeshHandler handler) {
    return mesh(service, ServicePolicy.defaults()).serve(0, handler);
  }

  /** Serves an instance of {@code service} answering {@code body}. */
  MeshServer serveText(String service, String body) {
    return serve(service, request -> CompletableFuture.completedFuture(MeshResponse.ok(body)));
  }

  /** Advances fake time until {@code call} completes (at most {@code limit}), then returns it. */
  <T> CompletableFuture<T> run(CompletableFuture<T> call, Duration limit) {
    return FakeTime.runUntilDone(ticker, call, limit);
  }

  /** Advances fake time until {@code call} completes (at most 60 s), then joins it. */
  <T> T join(CompletableFuture<T> call) {
    return run(call, Duration.ofSeconds(60)).join();
  }

  /** GETs {@code path} from {@code mesh}'s admin endpoint, with {@code headers} (name, value, ...). */
  MeshResponse admin(Mesh mesh, String path, String... headers) throws Exception {
    TransportClient client = network.client(new ClientOptions("admin", Protocol.HTTP_1_1, Duration.ofSeconds(1),
        1 << 20));
    ServiceInstance admin = ServiceInstance.builder("admin", "admin").host("127.0.0.1")
        .port(mesh.adminPort().getAsInt()).build();
    MeshRequest.Builder request = MeshRequest.builder().path(path);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return client.send(admin, request.build(), TimeUnit.SECONDS.toNanos(5)).get(5, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    meshes.forEach(Mesh::close);
    network.close();
  }
}
