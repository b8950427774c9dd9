package io.meshwork.netty.internal.client;

import io.meshwork.MeshRequest;
import java.util.concurrent.CompletableFuture;

/** The connections of one destination to one instance, HTTP/1.1 or HTTP/2. Thread-safe. */
interface InstancePool {

  /**
   * Opens a connection ahead of the first exchange (with its TLS handshake) unless one is open; the
   * future completes when it is, or fails with the reason it could not be opened.
   */
  CompletableFuture<Void> warm();

  /** Starts an exchange; its future completes on an event loop. */
  Exchange send(MeshRequest request, long timeoutMillis);

  /**
   * Takes no new exchange and closes connections as their exchanges end; the future completes
   * once all are closed.
   */
  CompletableFuture<Void> closeGracefully();

  /** Closes every connection now. */
  void closeNow();
}
