package io.meshwork.netty.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A bare h2c client that sends one request exactly as told, ignoring the server's advertised
 * SETTINGS_MAX_HEADER_LIST_SIZE (as a careless or hostile client would), and reports how the server
 * answered: ":status NNN" or "RST_STREAM NAME".
 */
public final class RawHttp2Client {

  private RawHttp2Client() {}

  /** Sends {@code headers} on stream 3 once the server's SETTINGS arrived; the server's answer. */
  public static String send(int port, Http2Headers headers) throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    CompletableFuture<String> answer = new CompletableFuture<>();
    try {
      Http2FrameAdapter listener = new Http2FrameAdapter() {
        private Http2ConnectionHandler handler;

        @Override
        public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
          handler = ctx.pipeline().get(Http2ConnectionHandler.class);
          handler.encoder().writeHeaders(ctx, 3, headers, 0, true, ctx.newPromise());
          ctx.flush();
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers response,
            int streamDependency, short weight, boolean exclusive, int padding, boolean endOfStream) {
          answer.complete(":status " + response.status());
        }

        @Override
        public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
          answer.complete("RST_STREAM " + Http2Error.valueOf(errorCode));
        }

        @Override
        public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
          answer.complete("GOAWAY " + Http2Error.valueOf(errorCode));
        }
      };
      Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
          .handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              ch.pipeline().addLast(new Http2ConnectionHandlerBuilder().server(false)
                  .encoderIgnoreMaxHeaderListSize(true).frameListener(listener).build());
            }
          }).connect("127.0.0.1", port).sync().channel();
      try {
        return answer.get(10, TimeUnit.SECONDS);
      } finally {
        channel.close().sync();
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }
}
