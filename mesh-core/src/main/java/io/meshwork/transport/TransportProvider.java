package io.meshwork.transport;

/**
 * Makes a {@link Transport}; found through {@link java.util.ServiceLoader} when a mesh is built
 * without one. mesh-netty provides one.
 */
public interface TransportProvider {

  /** A new transport, owned (and closed) by the mesh that asked for it. */
  Transport create();
}
