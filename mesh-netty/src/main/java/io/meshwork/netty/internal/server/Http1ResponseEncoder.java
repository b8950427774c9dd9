package io.meshwork.netty.internal.server;

import io.meshwork.MeshResponse;
import io.meshwork.netty.internal.WireHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * Writes a whole HTTP/1.1 response into one pooled direct buffer. The framing is the server's own:
 * the body length is always sent as Content-Length (the body is whole), and the handler's framing
 * and connection fields are left out. One encoder per connection, reused for each response.
 */
final class Http1ResponseEncoder implements BiConsumer<String, String> {

  private static final byte[] VERSION = "HTTP/1.1 ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CONTENT_LENGTH = "content-length: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CLOSE = "connection: close\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] KEEP_ALIVE = "connection: keep-alive\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final short CRLF = ('\r' << 8) | '\n';
  private static final short COLON_SPACE = (':' << 8) | ' ';

  private ByteBuf target;

  /**
   * The response to a request; {@code head} leaves the body out but keeps its length,
   * {@code close} announces the connection ends, {@code keepAlive} answers an HTTP/1.0 client that
   * asked to keep it.
   */
  ByteBuf encode(ByteBufAllocator alloc, MeshResponse response, boolean head, boolean close, boolean keepAlive) {
    int status = response.status();
    // 1xx, 204 and 304 never carry a body (RFC 9112 6.3).
    boolean bodyAllowed = status >= 200 && status != 204 && status != 304;
    boolean sendBody = bodyAllowed && !head && response.bodyLength() > 0;
    ByteBuf out = alloc.ioBuffer(160 + (sendBody ? response.bodyLength() : 0));
    try {
      out.writeBytes(VERSION);
      HttpResponseStatus known = HttpResponseStatus.valueOf(status);
      ByteBufUtil.writeAscii(out, known.codeAsText());
      out.writeByte(' ');
      ByteBufUtil.writeAscii(out, known.reasonPhrase());
      out.writeShort(CRLF);
      target = out;
      response.headers().forEach(this);
      String given = response.header("content-length");
      if (bodyAllowed || status == 304) {
        boolean keepGiven = given != null && response.bodyLength() == 0 && (head || status == 304);
        if (keepGiven || bodyAllowed) {
          out.writeBytes(CONTENT_LENGTH);
          // A HEAD answered without a body keeps the length the handler says a GET would have.
          ByteBufUtil.writeAscii(out, keepGiven ? given : Integer.toString(response.bodyLength()));
          out.writeShort(CRLF);
        }
      }
      if (close) {
        out.writeBytes(CLOSE);
      } else if (keepAlive) {
        out.writeBytes(KEEP_ALIVE);
      }
      out.writeShort(CRLF);
      if (sendBody) {
        out.writeBytes(response.bodyBuffer());
      }
      return out;
    } catch (RuntimeException e) {
      out.release();
      throw e;
    } finally {
      target = null;
    }
  }

  @Override
  public void accept(String name, String value) {
    if (WireHeaders.isHopByHop(name) || name.equals("content-length")) {
      return;
    }
    ByteBufUtil.writeAscii(target, name);
    target.writeShort(COLON_SPACE);
    ByteBufUtil.writeAscii(target, value);
    target.writeShort(CRLF);
  }
}
