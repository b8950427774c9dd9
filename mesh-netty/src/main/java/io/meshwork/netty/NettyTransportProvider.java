package io.meshwork.netty;

import io.meshwork.transport.Transport;
import io.meshwork.transport.TransportProvider;

/**
 * Lets {@code Mesh.builder().build()} find the Netty transport through
 * {@link java.util.ServiceLoader} when mesh-netty is on the class path. Public only because
 * ServiceLoader requires it; applications use {@link NettyTransport} directly.
 */
public final class NettyTransportProvider implements TransportProvider {

  /** Called by ServiceLoader. */
  public NettyTransportProvider() {}

  /** A transport with the defaults, owned by the mesh that asked for it. */
  @Override
  public Transport create() {
    return NettyTransport.create();
  }
}
