package io.meshwork.bench.backend;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * One backend instance: a minimal Netty HTTP/1.1 keep-alive server on 127.0.0.1 that answers every
 * request with a 1 KiB body, or, as its {@link InstanceBehavior} says, later or with a 503.
 */
final class PlainHttpServer implements AutoCloseable {

  /** The body every successful answer carries. */
  static final int BODY_BYTES = 1024;

  private static final ByteBuf BODY = Unpooled.unreleasableBuffer(
      Unpooled.directBuffer(BODY_BYTES).writeBytes(bodyBytes()).asReadOnly());
  private static final ByteBuf FAILURE = Unpooled.unreleasableBuffer(
      Unpooled.directBuffer(4).writeBytes(new byte[] {'f', 'a', 'i', 'l'}).asReadOnly());

  private final Channel channel;
  private final InstanceBehavior behavior;

  private PlainHttpServer(Channel channel, InstanceBehavior behavior) {
    this.channel = channel;
    this.behavior = behavior;
  }

  /** Binds a server on 127.0.0.1 at any free port, served by {@code group}. */
  static PlainHttpServer bind(EventLoopGroup group, Class<? extends ServerSocketChannel> channelClass,
      InstanceBehavior behavior) throws InterruptedException {
    Channel channel = new ServerBootstrap()
        .group(group)
        .channel(channelClass)
        .option(ChannelOption.SO_BACKLOG, 4096)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new Responder(behavior));
          }
        })
        .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    return new PlainHttpServer(channel, behavior);
  }

  int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  InstanceBehavior behavior() {
    return behavior;
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }

  static byte[] bodyBytes() {
    byte[] body = new byte[BODY_BYTES];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) ('a' + i % 26);
    }
    return body;
  }

  /** Answers each request once its last content has arrived; flushes once per read burst. */
  private static final class Responder extends SimpleChannelInboundHandler<HttpObject> {
    private final InstanceBehavior behavior;
    private boolean keepAlive = true;

    Responder(InstanceBehavior behavior) {
      this.behavior = behavior;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
      if (msg instanceof HttpRequest request) {
        keepAlive = HttpUtil.isKeepAlive(request);
      }
      if (!(msg instanceof LastHttpContent)) {
        return;
      }
      behavior.onRequest();
      boolean failing = behavior.failing();
      ByteBuf body = (failing ? FAILURE : BODY).duplicate();
      FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          failing ? HttpResponseStatus.SERVICE_UNAVAILABLE : HttpResponseStatus.OK, body);
      response.headers()
          .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM)
          .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
      boolean close = !keepAlive;
      long delay = behavior.delayMillis();
      if (delay > 0) {
        ctx.executor().schedule(() -> send(ctx, response, close, true), delay, TimeUnit.MILLISECONDS);
      } else {
        send(ctx, response, close, false);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close(); // a client that went away mid-request; nothing to answer
    }

    private static void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean close,
        boolean flush) {
      if (close) {
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      } else if (flush) {
        ctx.writeAndFlush(response);
      } else {
        ctx.write(response);
      }
    }
  }
}
