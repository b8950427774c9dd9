package io.meshwork;

import java.util.concurrent.CompletableFuture;

/**
 * The application's handler of inbound requests, behind {@link Mesh#serve(int, MeshHandler)}.
 * The caller's verified identity, if any, is {@link MeshRequest#peerIdentity()}.
 *
 * <p>A handler that throws, or whose future fails, yields a 500 answer and a log line.
 */
@FunctionalInterface
public interface MeshHandler {

  /** Handles one request; must not block. */
  CompletableFuture<MeshResponse> handle(MeshRequest request);
}
