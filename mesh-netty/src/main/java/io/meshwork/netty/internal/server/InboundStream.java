package io.meshwork.netty.internal.server;

import io.meshwork.MeshRequest;

/**
 * A request being received on one HTTP/2 stream: admitted, with its body to fill, or answered
 * early (refused, too large, too slow), its further DATA dropped.
 */
final class InboundStream {

  /** The admitted head; null once answered early. */
  final MeshRequest head;
  /** The body being gathered; null when none is expected or the stream was answered early. */
  RequestBody body;
  final long startNanos;
  /** Handed to the handler: no more DATA expected. */
  boolean dispatched;
  /** Answered before its body ended: what still comes of it is dropped. */
  boolean refused;
  long discarded;

  private InboundStream(MeshRequest head, RequestBody body, long startNanos, boolean refused) {
    this.head = head;
    this.body = body;
    this.startNanos = startNanos;
    this.refused = refused;
  }

  /** An admitted request, with a body to gather unless it came whole. */
  static InboundStream admitted(MeshRequest head, RequestBody body) {
    return new InboundStream(head, body, System.nanoTime(), false);
  }

  /** A request answered at its head. */
  static InboundStream refused() {
    return new InboundStream(null, null, 0, true);
  }

  /** Whether its body is still arriving. */
  boolean receiving() {
    return !dispatched && !refused && body != null;
  }

  /** Gives back the body's memory; harmless to repeat. */
  void releaseBody() {
    if (body != null) {
      body.release();
      body = null;
    }
  }
}
