package io.meshwork;

import io.meshwork.registry.ServiceInstance;
import java.time.Duration;

/** A running inbound server made by {@link Mesh#serve}. */
public interface MeshServer extends AutoCloseable {

  /** The port it listens on. */
  int port();

  /** The instance it registered. */
  ServiceInstance instance();

  /**
   * Deregisters the instance, then stops accepting and lets in-flight requests finish for up to
   * {@code grace}.
   */
  void close(Duration grace);

  /** {@link #close(Duration)} with the mesh's grace period. */
  @Override
  void close();
}
