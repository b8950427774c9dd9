package io.meshwork.transport;

import io.meshwork.MeshHandler;
import io.meshwork.time.Scheduler;

/**
 * The network under the mesh: the client side towards each destination and the inbound server.
 * {@link InMemoryTransport} runs a whole mesh in one JVM; {@code NettyTransport} (module mesh-netty)
 * speaks HTTP on real sockets and is found through {@link TransportProvider} when on the class path.
 */
public interface Transport extends AutoCloseable {

  /** Opens the client side towards one destination service. */
  TransportClient client(ClientOptions options);

  /**
   * Binds a server that hands every request to {@code handler}: its head to
   * {@link InboundHandler#admit} before any byte of its body is read, then, when admitted, the whole
   * request to {@link InboundHandler#handle}. Returns once it listens; fails with a
   * {@code MeshException} naming the address when it cannot bind.
   */
  TransportServer bind(ServerOptions options, InboundHandler handler);

  /** {@link #bind(ServerOptions, InboundHandler)} with every request admitted as it came. */
  default TransportServer bind(ServerOptions options, MeshHandler handler) {
    return bind(options, InboundHandler.of(handler));
  }

  /** The scheduler that deadlines should use, or null for the mesh's own. */
  default Scheduler scheduler() {
    return null;
  }

  /** Closes every client and server; in-flight exchanges fail or finish within the grace period. */
  @Override
  void close();
}
