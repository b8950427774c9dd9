package io.meshwork.netty.internal;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Gathers a response body straight into a {@code byte[]} as its pieces arrive, so each piece is
 * copied once out of its network buffer and can be released at once. The caller releases the
 * buffers it appends. A declared length sizes the array only up to 64 KiB: past that the array
 * grows with the bytes that really arrive, so a peer cannot make it reserve memory by declaring.
 */
public final class BodyBuffer {

  private static final byte[] EMPTY = new byte[0];
  /** The most a declared length may reserve before any byte arrives. */
  static final int MAX_RESERVED = 64 * 1024;

  private final int limit;
  private byte[] bytes;
  private int length;

  /**
   * A buffer for a body of {@code expected} bytes when known (-1 otherwise) that refuses to grow
   * beyond {@code limit} bytes.
   */
  public BodyBuffer(long expected, int limit) {
    this.limit = limit;
    this.bytes = expected > 0 && expected <= limit ? new byte[(int) Math.min(expected, MAX_RESERVED)] : EMPTY;
  }

  /** Copies the readable bytes of {@code piece}; false, copying nothing, when over the limit. */
  public boolean append(ByteBuf piece) {
    int size = piece.readableBytes();
    if (size == 0) {
      return true;
    }
    if (size > limit - length) {
      return false;
    }
    if (size > bytes.length - length) {
      // Double to keep the copies of a body of unknown length at about twice its size.
      long wanted = Math.max((long) length + size, Math.max(256, 2L * bytes.length));
      bytes = Arrays.copyOf(bytes, (int) Math.min(wanted, limit));
    }
    piece.getBytes(piece.readerIndex(), bytes, length, size);
    length += size;
    return true;
  }

  /** The bytes so far. */
  public int length() {
    return length;
  }

  /** The bytes it holds room for now. */
  int capacity() {
    return bytes.length;
  }

  /** The body; the array itself when its size is exact, else one final trimming copy. */
  public byte[] toArray() {
    if (length == 0) {
      return EMPTY;
    }
    return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
  }
}
