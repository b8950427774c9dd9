package io.meshwork.bench.backend;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import java.net.InetSocketAddress;

/**
 * One HTTP/2 backend instance: a minimal Netty h2c server (prior knowledge) on 127.0.0.1 that
 * answers every request with a 1 KiB body, for the HTTP/2 comparison. The answers written while a
 * read is processed leave with the one flush Netty's handler makes at the end of the read.
 */
final class PlainHttp2Server implements AutoCloseable {

  private static final ByteBuf BODY = Unpooled.unreleasableBuffer(
      Unpooled.directBuffer(PlainHttpServer.BODY_BYTES).writeBytes(PlainHttpServer.bodyBytes()).asReadOnly());
  private static final Http2Headers OK = new DefaultHttp2Headers().status("200")
      .set("content-type", "application/octet-stream")
      .setInt("content-length", PlainHttpServer.BODY_BYTES);

  private final Channel channel;

  private PlainHttp2Server(Channel channel) {
    this.channel = channel;
  }

  /** Binds a server on 127.0.0.1 at any free port, served by {@code group}. */
  static PlainHttp2Server bind(EventLoopGroup group, Class<? extends ServerSocketChannel> channelClass)
      throws InterruptedException {
    Channel channel = new ServerBootstrap()
        .group(group)
        .channel(channelClass)
        .option(ChannelOption.SO_BACKLOG, 4096)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            Responder responder = new Responder();
            Http2ConnectionHandler handler = new Http2ConnectionHandlerBuilder().server(true)
                .frameListener(responder).build();
            responder.handler = handler;
            ch.pipeline().addLast(handler);
          }
        })
        .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    return new PlainHttp2Server(channel);
  }

  int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }

  /** Answers each request once its HEADERS (or its last DATA) ended the stream. */
  private static final class Responder extends Http2FrameAdapter {
    Http2ConnectionHandler handler;

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
        boolean endOfStream) {
      if (endOfStream) {
        answer(ctx, streamId);
      }
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
        short weight, boolean exclusive, int padding, boolean endOfStream) {
      onHeadersRead(ctx, streamId, headers, padding, endOfStream);
    }

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
      if (endOfStream) {
        answer(ctx, streamId);
      }
      return data.readableBytes() + padding;
    }

    private void answer(ChannelHandlerContext ctx, int streamId) {
      handler.encoder().writeHeaders(ctx, streamId, OK, 0, false, ctx.newPromise());
      handler.encoder().writeData(ctx, streamId, BODY.duplicate(), 0, true, ctx.newPromise());
    }
  }
}
