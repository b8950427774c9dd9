package io.meshwork.netty.internal.client;

import io.meshwork.MeshRequest;
import io.meshwork.netty.internal.WireHeaders;
import io.meshwork.transport.TransportHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * Writes a whole HTTP/1.1 request, head and body, into one pooled direct buffer, so it leaves with a
 * single write and flush and no intermediate header objects. One encoder per event loop: it keeps
 * the buffer being written in a field to visit the headers without a capturing lambda per call.
 */
final class Http1RequestEncoder implements BiConsumer<String, String> {

  private static final byte[] VERSION_CRLF = " HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HOST = "host: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TIMEOUT = (TransportHeaders.TIMEOUT_MS + ": ").getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CONTENT_LENGTH = "content-length: ".getBytes(StandardCharsets.US_ASCII);
  private static final short CRLF = ('\r' << 8) | '\n';
  private static final short COLON_SPACE = (':' << 8) | ' ';

  private ByteBuf target;
  private boolean hostGiven;

  /** The request with its host and deadline header; the caller owns the buffer returned. */
  ByteBuf encode(ByteBufAllocator alloc, MeshRequest request, String authority, long timeoutMillis) {
    int bodyLength = request.bodyLength();
    ByteBuf out = alloc.ioBuffer(256 + request.path().length() + bodyLength);
    try {
      ByteBufUtil.writeAscii(out, request.method());
      out.writeByte(' ');
      ByteBufUtil.writeAscii(out, request.path());
      out.writeBytes(VERSION_CRLF);
      target = out;
      hostGiven = false;
      request.headers().forEach(this);
      if (!hostGiven) {
        out.writeBytes(HOST);
        ByteBufUtil.writeAscii(out, authority);
        out.writeShort(CRLF);
      }
      out.writeBytes(TIMEOUT);
      writeDecimal(out, timeoutMillis);
      out.writeShort(CRLF);
      if (bodyLength > 0 || defines(request.method())) {
        out.writeBytes(CONTENT_LENGTH);
        writeDecimal(out, bodyLength);
        out.writeShort(CRLF);
      }
      out.writeShort(CRLF);
      if (bodyLength > 0) {
        out.writeBytes(request.bodyBuffer());
      }
      return out;
    } catch (RuntimeException e) {
      out.release();
      throw e;
    } finally {
      target = null;
    }
  }

  /** Writes one of the caller's fields, leaving out those the transport itself owns. */
  @Override
  public void accept(String name, String value) {
    if (WireHeaders.isHopByHop(name) || name.equals("content-length")
        || name.equals(TransportHeaders.TIMEOUT_MS)) {
      return;
    }
    if (name.equals("host")) {
      hostGiven = true;
    }
    ByteBufUtil.writeAscii(target, name);
    target.writeShort(COLON_SPACE);
    ByteBufUtil.writeAscii(target, value);
    target.writeShort(CRLF);
  }

  /** Whether the method gives an empty body a meaning, so its length must be sent (RFC 9110 8.6). */
  private static boolean defines(String method) {
    return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
  }

  /** Writes a non-negative {@code value} in ASCII digits, straight into the buffer: no String per request. */
  private static void writeDecimal(ByteBuf out, long value) {
    int digits = 1;
    for (long rest = value / 10; rest > 0; rest /= 10) {
      digits++;
    }
    int end = out.writerIndex() + digits;
    out.ensureWritable(digits);
    long rest = value;
    for (int at = end - 1; at >= end - digits; at--) {
      out.setByte(at, (int) ('0' + rest % 10));
      rest /= 10;
    }
    out.writerIndex(end);
  }
}
