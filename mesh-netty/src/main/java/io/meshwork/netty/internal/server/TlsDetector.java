package io.meshwork.netty.internal.server;

import io.meshwork.netty.internal.tls.ServerTls;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.List;

/**
 * PERMISSIVE mode: mutual TLS or plaintext on one port. Looks at the first record header of a
 * connection and puts a TLS handler in its own place when it is a TLS record, or just leaves for a
 * plaintext one; the bytes it held go on to whichever comes next. Plaintext connections then carry
 * no TLS handler at all.
 */
final class TlsDetector extends ByteToMessageDecoder {

  /** The bytes of a TLS record header, enough to tell. */
  private static final int RECORD_HEADER = 5;

  private final ServerTls tls;

  TlsDetector(ServerTls tls) {
    this.tls = tls;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (in.readableBytes() < RECORD_HEADER) {
      return;
    }
    if (SslHandler.isEncrypted(in, false)) {
      ctx.pipeline().replace(this, "tls", tls.newHandler(ctx.channel()));
    } else {
      ctx.pipeline().remove(this);
    }
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
