package io.meshwork.netty.internal.server;

import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2RemoteFlowController;

/**
 * Tells an idle HTTP/2 connection that may be closed: one with no streams, or one whose every stream
 * is an answer held back only by the peer's flow-control window. A peer that keeps its windows at
 * zero and says nothing would otherwise hold those answers, and their memory, for ever; a stream
 * still waiting for its handler is not idle in that sense and keeps the connection.
 */
final class HeldByThePeer {

  private HeldByThePeer() {}

  /** Whether no stream of {@code connection} has anything to do but wait for the peer's window. */
  static boolean everyStream(Http2Connection connection, Http2RemoteFlowController flow) throws Http2Exception {
    boolean[] allHeld = {true};
    connection.forEachActiveStream(stream -> {
      allHeld[0] = flow.hasFlowControlled(stream);
      return allHeld[0];
    });
    return allHeld[0];
  }
}
