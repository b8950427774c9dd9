package io.meshwork.etcd;

import io.meshwork.Mesh;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.MeshServer;
import io.meshwork.netty.NettyTransport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Two services, "users" and "orders", each a {@link Mesh} with its own {@link EtcdServiceRegistry}
 * and its own Netty transport, as two processes on two machines would have; each serves one instance.
 */
final class MeshPair implements AutoCloseable {

  final EtcdServiceRegistry usersRegistry;
  final EtcdServiceRegistry ordersRegistry;
  final Mesh users;
  final Mesh orders;
  final MeshServer usersServer;
  final MeshServer ordersServer;
  private final NettyTransport usersTransport;
  private final NettyTransport ordersTransport;

  MeshPair(String... endpoints) {
    usersRegistry = registry(endpoints);
    ordersRegistry = registry(endpoints);
    usersTransport = transport();
    ordersTransport = transport();
    users = Mesh.builder().service("users").registry(usersRegistry).transport(usersTransport)
        .shutdownGrace(Duration.ofSeconds(1)).build();
    orders = Mesh.builder().service("orders").registry(ordersRegistry).transport(ordersTransport)
        .shutdownGrace(Duration.ofSeconds(1)).build();
    usersServer = users.serve(0, request -> CompletableFuture.completedFuture(
        MeshResponse.ok("user " + request.path())));
    ordersServer = orders.serve(0, request -> CompletableFuture.completedFuture(
        MeshResponse.ok("order " + request.path())));
  }

  private static NettyTransport transport() {
    return NettyTransport.builder().eventLoopThreads(1).shutdownGrace(Duration.ofSeconds(1)).build();
  }

  /** A registry with a short request timeout, so that closing it while etcd is away stays quick. */
  static EtcdServiceRegistry registry(String... endpoints) {
    return EtcdServiceRegistry.builder().endpoints(endpoints).requestTimeout(Duration.ofSeconds(1)).build();
  }

  /** Waits until each registry has seen the other service's instance. */
  MeshPair awaitDiscovered() {
    Await.until(Duration.ofSeconds(10), () -> !ordersRegistry.discover("users").isEmpty()
        && !usersRegistry.discover("orders").isEmpty(), "each service discovered by the other");
    return this;
  }

  /** One call from {@code from} to {@code service}; its body, or the failure as an exception. */
  static String call(Mesh from, String service, String path) throws Exception {
    MeshResponse response = from.call(service, MeshRequest.get(path)).get(20, TimeUnit.SECONDS);
    if (response.status() != 200) {
      throw new AssertionError(service + path + " answered " + response.status());
    }
    return response.bodyAsString();
  }

  @Override
  public void close() {
    orders.close();
    users.close();
    ordersTransport.close();
    usersTransport.close();
    ordersRegistry.close();
    usersRegistry.close();
  }
}
