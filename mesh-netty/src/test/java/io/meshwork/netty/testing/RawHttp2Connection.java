package io.meshwork.netty.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * An h2c connection that sends frames exactly as a test says (HEADERS with any Content-Length, DATA
 * that never ends a stream, resets) and reports how the server answered each stream: ":status NNN"
 * with the body, "RST_STREAM NAME", or "GOAWAY NAME" when the connection went away first. Every
 * wait is bounded.
 */
public final class RawHttp2Connection implements AutoCloseable {

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Map<Integer, CompletableFuture<String>> outcomes = new ConcurrentHashMap<>();
  private final Map<Integer, StringBuilder> bodies = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final CompletableFuture<String> goAway = new CompletableFuture<>();
  private volatile CompletableFuture<Void> pong = new CompletableFuture<>();
  private Channel channel;
  private Http2ConnectionHandler handler;

  private RawHttp2Connection() {}

  /** Connects to 127.0.0.1:{@code port} and returns once the server's SETTINGS arrived. */
  public static RawHttp2Connection open(int port) throws Exception {
    RawHttp2Connection connection = new RawHttp2Connection();
    connection.connect(port);
    return connection;
  }

  private void connect(int port) throws Exception {
    Listener listener = new Listener();
    channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            // Closing does not wait for streams the test left open.
            handler = new Http2ConnectionHandlerBuilder().server(false).encoderIgnoreMaxHeaderListSize(true)
                .validateHeaders(false).gracefulShutdownTimeoutMillis(0).frameListener(listener).build();
            ch.pipeline().addLast(handler);
          }
        }).connect("127.0.0.1", port).sync().channel();
    channel.closeFuture().addListener(closed -> {
      goAway.complete("closed");
      outcomes.values().forEach(outcome -> outcome.complete(goAway.getNow("closed")));
    });
    ready.get(10, TimeUnit.SECONDS);
  }

  /** Sends HEADERS on {@code streamId}, ending the stream when {@code endStream}. */
  public void headers(int streamId, Http2Headers headers, boolean endStream) throws Exception {
    outcomes.computeIfAbsent(streamId, id -> new CompletableFuture<>());
    run(() -> handler.encoder().writeHeaders(ctx(), streamId, headers, 0, endStream, ctx().newPromise()));
  }

  /** Sends {@code bytes} as DATA on {@code streamId}. */
  public void data(int streamId, byte[] bytes, boolean endStream) throws Exception {
    run(() -> handler.encoder().writeData(ctx(), streamId, Unpooled.wrappedBuffer(bytes), 0, endStream,
        ctx().newPromise()));
  }

  /** Resets {@code streamId}. */
  public void reset(int streamId, Http2Error error) throws Exception {
    run(() -> handler.encoder().writeRstStream(ctx(), streamId, error.code(), ctx().newPromise()));
  }

  /** Sends a PING and waits for its ACK: the server has then read every frame sent before it. */
  public void ping() throws Exception {
    CompletableFuture<Void> next = new CompletableFuture<>();
    pong = next;
    run(() -> handler.encoder().writePing(ctx(), false, 42L, ctx().newPromise()));
    next.get(10, TimeUnit.SECONDS);
  }

  /** How the server answered {@code streamId}, waiting up to 10 s. */
  public String outcome(int streamId) throws Exception {
    return outcomes.computeIfAbsent(streamId, id -> new CompletableFuture<>()).get(10, TimeUnit.SECONDS);
  }

  /** The DATA the server sent on {@code streamId} so far. */
  public String body(int streamId) {
    StringBuilder body = bodies.get(streamId);
    return body == null ? "" : body.toString();
  }

  /** The GOAWAY the server sent (or "closed"), waiting up to 10 s. */
  public String goAway() throws Exception {
    return goAway.get(10, TimeUnit.SECONDS);
  }

  private ChannelHandlerContext ctx() {
    return channel.pipeline().context(handler);
  }

  private void run(Runnable write) throws Exception {
    channel.eventLoop().submit(() -> {
      write.run();
      try {
        handler.flush(ctx()); // the handler's own flush: it also sends DATA held for flow control
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).get(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    try {
      channel.close().sync();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  /** Records what the server says. */
  private final class Listener extends Http2FrameAdapter {
    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
      ready.complete(null);
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
        boolean endOfStream) {
      answered(streamId, headers, endOfStream);
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
        short weight, boolean exclusive, int padding, boolean endOfStream) {
      answered(streamId, headers, endOfStream);
    }

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
      bodies.computeIfAbsent(streamId, id -> new StringBuilder()).append(data.toString(StandardCharsets.UTF_8));
      if (endOfStream) {
        complete(streamId, null);
      }
      return data.readableBytes() + padding;
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
      complete(streamId, "RST_STREAM " + Http2Error.valueOf(errorCode));
    }

    @Override
    public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
      goAway.complete("GOAWAY " + Http2Error.valueOf(errorCode) + " " + debugData.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void onPingAckRead(ChannelHandlerContext ctx, long data) {
      pong.complete(null);
    }

    private final Map<Integer, String> statuses = new ConcurrentHashMap<>();

    private void answered(int streamId, Http2Headers headers, boolean endOfStream) {
      if (headers.status() != null) {
        statuses.putIfAbsent(streamId, ":status " + headers.status());
      }
      if (endOfStream) {
        complete(streamId, null);
      }
    }

    private void complete(int streamId, String outcome) {
      String result = outcome != null ? outcome : statuses.getOrDefault(streamId, "no status");
      outcomes.computeIfAbsent(streamId, id -> new CompletableFuture<>()).complete(result);
    }
  }
}
