package io.meshwork.netty.internal.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * One request body being received: its bytes are copied into a pooled buffer that grows as they
 * arrive (never sized from a declared Content-Length), and each byte is reserved against the
 * connection's and the server's {@link BodyBudget} first. The reservation lasts until
 * {@link #release()}, which the server calls once the request is answered or abandoned, on every
 * path; {@link #take()} hands the bytes over and frees the pooled buffer at once. Used on one event
 * loop only.
 */
final class RequestBody {

  /** What happened to a piece of the body. */
  enum Outcome {
    /** Kept. */
    KEPT,
    /** It would pass the largest body accepted: answer 413. */
    TOO_LARGE,
    /** A body budget is spent: answer 503 or refuse the stream. */
    NO_MEMORY
  }

  private static final byte[] EMPTY = new byte[0];
  private static final int FIRST_CAPACITY = 4096;

  private final ByteBufAllocator alloc;
  private final int limit;
  private final BodyBudget connection;
  private final BodyBudget server;
  private ByteBuf buffer;
  private int length;
  private long reserved;

  RequestBody(ByteBufAllocator alloc, int limit, BodyBudget connection, BodyBudget server) {
    this.alloc = alloc;
    this.limit = limit;
    this.connection = connection;
    this.server = server;
  }

  /** Copies the readable bytes of {@code piece}, which the caller still owns and releases. */
  Outcome append(ByteBuf piece) {
    int size = piece.readableBytes();
    if (size == 0) {
      return Outcome.KEPT;
    }
    if (size > limit - length) {
      return Outcome.TOO_LARGE;
    }
    if (!connection.tryReserve(size)) {
      return Outcome.NO_MEMORY;
    }
    if (!server.tryReserve(size)) {
      connection.release(size);
      return Outcome.NO_MEMORY;
    }
    reserved += size;
    if (buffer == null) {
      buffer = alloc.heapBuffer(Math.min(limit, Math.max(size, FIRST_CAPACITY)), limit);
    }
    buffer.writeBytes(piece, piece.readerIndex(), size);
    length += size;
    return Outcome.KEPT;
  }

  /** The bytes received so far. */
  int length() {
    return length;
  }

  /** The whole body as an array; the pooled buffer is freed, the reservation kept until {@link #release()}. */
  byte[] take() {
    if (buffer == null) {
      return EMPTY;
    }
    byte[] bytes = new byte[length];
    buffer.getBytes(buffer.readerIndex(), bytes);
    buffer.release();
    buffer = null;
    return bytes;
  }

  /** Frees the pooled buffer if still held and gives the reservation back; harmless to repeat. */
  void release() {
    if (buffer != null) {
      buffer.release();
      buffer = null;
    }
    if (reserved > 0) {
      connection.release(reserved);
      server.release(reserved);
      reserved = 0;
    }
  }
}
