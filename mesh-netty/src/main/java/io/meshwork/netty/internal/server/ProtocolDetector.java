package io.meshwork.netty.internal.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves HTTP/1.1 and HTTP/2 on one port, in the clear or behind TLS: looks at the first bytes of a
 * connection and, as soon as they match or leave the HTTP/2 client preface, replaces itself with the
 * HTTP/2 or HTTP/1.1 handlers. The bytes it held are handed on to them as it is removed. It is in
 * the pipeline from the moment the connection is accepted, so its timer bounds the TLS handshake
 * and the first bytes together: a connection that has not shown its protocol within the head
 * timeout is closed.
 */
final class ProtocolDetector extends ByteToMessageDecoder {

  private static final Logger log = LoggerFactory.getLogger(ProtocolDetector.class);
  private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

  private final ServerContext context;
  private ScheduledFuture<?> deadline;

  ProtocolDetector(ServerContext context) {
    this.context = context;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    deadline = ctx.executor().schedule(() -> {
      log.debug("{}: closing inbound connection from {}: no request within {}", context.service,
          ctx.channel().remoteAddress(), ServerContext.seconds(context.headTimeoutNanos));
      ctx.close();
    }, context.headTimeoutNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    deadline.cancel(false);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int prefaceLength = PREFACE.readableBytes();
    int seen = Math.min(in.readableBytes(), prefaceLength);
    for (int i = 0; i < seen; i++) {
      if (in.getByte(in.readerIndex() + i) != PREFACE.getByte(PREFACE.readerIndex() + i)) {
        switchTo(ctx, false);
        return;
      }
    }
    if (seen == prefaceLength) {
      switchTo(ctx, true);
    }
    // Otherwise a prefix of the preface so far: wait for more.
  }

  private void switchTo(ChannelHandlerContext ctx, boolean http2) {
    ChannelPipeline pipeline = ctx.pipeline();
    // Answers written while a read is in progress (pipelined or multiplexed requests answered at
    // once) leave with one flush at its end.
    pipeline.addAfter(ctx.name(), "flush", new FlushConsolidationHandler(256, false));
    if (http2) {
      pipeline.addAfter("flush", "h2", Http2ServerHandler.create(context));
    } else {
      int maxHeaderBytes = context.limits.maxHeaderBytes();
      HttpDecoderConfig config = new HttpDecoderConfig()
          .setMaxInitialLineLength(Math.max(4096, maxHeaderBytes))
          .setMaxHeaderSize(maxHeaderBytes)
          .setMaxChunkSize(64 * 1024);
      pipeline.addAfter("flush", "http1-decoder",
          new Http1RequestDecoder(config, context.headTimeoutNanos, context.bodyRate));
      pipeline.addAfter("http1-decoder", "http1", new Http1ServerHandler(context));
    }
    pipeline.remove(this);
  }

  /** A failed TLS handshake ends here: the TLS handler logged why and closes the connection. */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("{}: inbound connection from {} failed before its first request", context.service,
        ctx.channel().remoteAddress(), cause);
    ctx.close();
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
