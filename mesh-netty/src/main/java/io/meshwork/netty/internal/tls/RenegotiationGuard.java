package io.meshwork.netty.internal.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a connection whose client tries to renegotiate TLS 1.2. BoringSSL refuses renegotiation
 * itself; the JDK's provider accepts it, and each renegotiation is another full handshake the client
 * can ask for at will. The guard reads only TLS record headers, in front of the TLS handler: after
 * the client's ChangeCipherSpec, its one handshake record is its Finished, and any further one is a
 * new ClientHello. Under TLS 1.3 every encrypted record looks like application data and there is no
 * renegotiation, so once 1.3 is agreed the guard leaves the pipeline.
 */
final class RenegotiationGuard extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(RenegotiationGuard.class);
  private static final int CHANGE_CIPHER_SPEC = 20;
  private static final int HANDSHAKE = 22;

  private final String service;
  private final SslHandler tls;
  private final byte[] header = new byte[5];
  private int headerSeen;
  /** Bytes of the current record's body still to come. */
  private int bodyLeft;
  private boolean cipherChanged;
  private boolean finishedSeen;
  private boolean refused;

  RenegotiationGuard(String service, SslHandler tls) {
    this.service = service;
    this.tls = tls;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    tls.handshakeFuture().addListener(done -> {
      if (done.isSuccess() && !ctx.isRemoved() && "TLSv1.3".equals(tls.engine().getSession().getProtocol())) {
        ctx.pipeline().remove(this);
      }
    });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (refused) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof ByteBuf in && renegotiates(in)) {
      refused = true;
      ReferenceCountUtil.release(msg);
      log.info("{}: closing the connection from {}: the client tried to renegotiate TLS", service,
          ctx.channel().remoteAddress());
      ctx.close();
      return;
    }
    ctx.fireChannelRead(msg);
  }

  /** Walks the record headers in {@code in} without consuming it; true on a renegotiation. */
  private boolean renegotiates(ByteBuf in) {
    int at = in.readerIndex();
    int end = in.writerIndex();
    while (at < end) {
      if (bodyLeft > 0) {
        int skipped = Math.min(bodyLeft, end - at);
        bodyLeft -= skipped;
        at += skipped;
        continue;
      }
      header[headerSeen++] = in.getByte(at++);
      if (headerSeen == header.length) {
        headerSeen = 0;
        bodyLeft = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
        int type = header[0] & 0xff;
        if (type == CHANGE_CIPHER_SPEC) {
          cipherChanged = true;
        } else if (type == HANDSHAKE && cipherChanged) {
          if (finishedSeen) {
            return true;
          }
          finishedSeen = true;
        }
      }
    }
    return false;
  }
}
