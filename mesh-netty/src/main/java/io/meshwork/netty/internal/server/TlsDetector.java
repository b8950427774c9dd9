package io.meshwork.netty.internal.server;

import io.meshwork.netty.internal.tls.ServerTls;
import io.meshwork.transport.ErrorResponses;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.List;

/**
 * The first handler of a mutual TLS server: looks at the first record header of a connection and,
 * when it is a TLS record, puts a TLS handler in its own place; the bytes it held go on to it.
 * Plaintext is served as it is in PERMISSIVE mode (the connection then carries no TLS handler at
 * all); in STRICT mode a plaintext HTTP/1 request gets a 400 saying that mutual TLS is required,
 * as Go's servers answer HTTP sent to an HTTPS port, and anything else is closed.
 */
final class TlsDetector extends ByteToMessageDecoder {

  /** The bytes of a TLS record header, enough to tell. */
  private static final int RECORD_HEADER = 5;

  private final ServerTls tls;
  private final ServerContext context;
  private final boolean plaintextAllowed;

  TlsDetector(ServerTls tls, ServerContext context, boolean plaintextAllowed) {
    this.tls = tls;
    this.context = context;
    this.plaintextAllowed = plaintextAllowed;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (in.readableBytes() < RECORD_HEADER) {
      return;
    }
    if (SslHandler.isEncrypted(in, false)) {
      tls.install(ctx);
    } else if (plaintextAllowed) {
      ctx.pipeline().remove(this);
    } else {
      boolean http1 = looksLikeHttp1(in);
      in.skipBytes(in.readableBytes());
      ctx.channel().config().setAutoRead(false);
      if (http1) {
        ctx.writeAndFlush(new Http1ResponseEncoder().encode(ctx.alloc(),
            ErrorResponses.of(400, context.service, "this server requires mutual TLS"), false, true, false))
            .addListener(ChannelFutureListener.CLOSE);
      } else {
        ctx.close();
      }
    }
  }

  /** An upper-case method token, and not the HTTP/2 preface ("PRI * HTTP/2.0"). */
  private static boolean looksLikeHttp1(ByteBuf in) {
    int first = in.getByte(in.readerIndex());
    boolean preface = in.getByte(in.readerIndex() + 1) == 'R' && in.getByte(in.readerIndex() + 2) == 'I'
        && in.getByte(in.readerIndex() + 3) == ' ' && first == 'P';
    return first >= 'A' && first <= 'Z' && !preface;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event == ServerEvent.DRAIN || event instanceof IdleStateEvent) {
      ctx.close(); // nothing was asked yet
      return;
    }
    super.userEventTriggered(ctx, event);
  }
}
