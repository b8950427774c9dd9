package io.meshwork.transport;

import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.registry.ServiceInstance;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/** The client side of a {@link Transport} towards one destination service. */
public interface TransportClient extends AutoCloseable {

  /**
   * Sends {@code request} to {@code instance}; the future completes with the response or a
   * {@code MeshException} (a {@code ConnectFailedException} when the request was never sent). The
   * remaining deadline, {@code timeoutNanos}, travels to the callee in the
   * {@value TransportHeaders#TIMEOUT_MS} header.
   *
   * <p>The caller may complete the returned future itself (cancelled or exceptionally) to abort the
   * exchange: the transport then releases everything the exchange held.
   */
  CompletableFuture<MeshResponse> send(ServiceInstance instance, MeshRequest request, long timeoutNanos);

  /**
   * Opens a connection to {@code instance} ahead of the first call (with its TLS handshake), and
   * keeps it for the calls that follow; the future completes when it is open, or fails with the
   * reason it could not be. The default does nothing: transports without connections are ready.
   */
  default CompletableFuture<Void> connect(ServiceInstance instance) {
    return CompletableFuture.completedFuture(null);
  }

  /** The client's connections and TLS handshakes now; {@link ConnectionStats#NONE} when not counted. */
  default ConnectionStats stats() {
    return ConnectionStats.NONE;
  }

  /** The destination's instances are now these: state kept for any other may be released. */
  default void retain(Collection<ServiceInstance> instances) {}

  /** Releases the client's connections. */
  @Override
  void close();
}
