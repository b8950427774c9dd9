package io.meshwork.netty.internal.server;

import io.netty.buffer.ByteBuf;

/**
 * Finds obsolete line folding (a header line that begins with a space or a tab) in an HTTP/1.1
 * request head, fed the head's bytes as they arrive. Netty's decoder joins such a line to the field
 * before it, which RFC 9112 allows; a server behind or before another parser that splits them
 * instead is open to request smuggling, so the server refuses them (RFC 9112 §5.2's other choice).
 */
final class ObsFoldScanner {

  private enum State { REQUEST_LINE, LINE_START, IN_LINE, EMPTY_LINE, DONE }

  private State state = State.REQUEST_LINE;

  /** Starts on a new request head. */
  void reset() {
    state = State.REQUEST_LINE;
  }

  /**
   * Reads {@code length} bytes of {@code in} from {@code from}; true when they fold a line. Stops at
   * the end of the head: the body is not looked at.
   */
  boolean foldsIn(ByteBuf in, int from, int length) {
    for (int i = from; i < from + length && state != State.DONE; i++) {
      byte b = in.getByte(i);
      switch (state) {
        case REQUEST_LINE, IN_LINE -> {
          if (b == '\n') {
            state = State.LINE_START;
          }
        }
        case LINE_START -> {
          if (b == ' ' || b == '\t') {
            return true;
          }
          state = b == '\n' ? State.DONE : b == '\r' ? State.EMPTY_LINE : State.IN_LINE;
        }
        case EMPTY_LINE -> state = b == '\n' ? State.DONE : State.IN_LINE;
        default -> throw new IllegalStateException(state.name());
      }
    }
    return false;
  }
}
