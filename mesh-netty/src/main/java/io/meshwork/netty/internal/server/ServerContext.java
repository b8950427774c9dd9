package io.meshwork.netty.internal.server;

import io.meshwork.MeshHandler;
import io.meshwork.transport.ServerOptions;

/** What every connection of one server shares: the handler, the limits and whether it is draining. */
final class ServerContext {

  final String service;
  final MeshHandler handler;
  final PeerIdentityResolver identities;
  final int maxRequestBytes;
  final int maxHeaderBytes;
  final int maxConcurrentStreams;
  /** Set once the server closes: responses then ask HTTP/1.1 clients to close, HTTP/2 gets GOAWAY. */
  volatile boolean draining;

  ServerContext(ServerOptions options, MeshHandler handler, PeerIdentityResolver identities) {
    this.service = options.service();
    this.handler = handler;
    this.identities = identities;
    this.maxRequestBytes = options.maxRequestBytes();
    this.maxHeaderBytes = options.maxHeaderBytes();
    this.maxConcurrentStreams = options.maxConcurrentStreams();
  }
}
