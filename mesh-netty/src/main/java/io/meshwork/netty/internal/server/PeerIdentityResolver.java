package io.meshwork.netty.internal.server;

import io.meshwork.security.WorkloadIdentity;
import io.netty.channel.Channel;

/**
 * Tells who is on the other end of an inbound connection: nobody known for plaintext, the identity
 * read from the verified client certificate for mutual TLS ({@code ServerTls::peerOf}). It is asked
 * once per connection, when its first request arrives, and the answer travels with every request as
 * {@link io.meshwork.MeshRequest#peerIdentity()}.
 */
@FunctionalInterface
public interface PeerIdentityResolver {

  /** Plaintext connections: no verified caller. */
  PeerIdentityResolver PLAINTEXT = channel -> null;

  /** The verified identity of the peer of {@code channel}, or null when there is none. */
  WorkloadIdentity identityOf(Channel channel);
}
