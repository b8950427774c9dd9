package io.meshwork.bench.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.AsciiString;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP/2 limit: a plain Netty h2c client (prior knowledge) with no policy at all. One
 * multiplexed connection per target, the targets' connections dealt over the event loops in turn,
 * requests round robin over the targets; each request is one stream whose pre-built HEADERS frame
 * ends it, written on the connection's loop (a hop when the caller runs another thread). It is held
 * to what Meshwork's HTTP/2 client does: the same connection handler base, initial settings and
 * flow-control windows, and flushes consolidated over a read.
 */
public final class PlainHttp2Client implements LoadClient {

  /** The name prefix of its event-loop threads. */
  static final String THREADS = "plain-h2-client";
  /** Meshwork's per-stream and connection window (mesh-netty's Http2Windows). */
  private static final int WINDOW = 1024 * 1024;

  private final EventLoopGroup group;
  private final Connection[] connections;
  private final AtomicInteger next = new AtomicInteger();

  /** Connects to every target on {@code threads} event loops and waits for their SETTINGS. */
  public PlainHttp2Client(List<InetSocketAddress> targets, int threads) {
    boolean epoll = Epoll.isAvailable();
    this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(THREADS, true),
        epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    List<EventLoop> loops = new ArrayList<>();
    for (EventExecutor executor : group) {
      loops.add((EventLoop) executor);
    }
    this.connections = new Connection[targets.size()];
    try {
      for (int i = 0; i < connections.length; i++) {
        InetSocketAddress target = targets.get(i);
        Http2Headers headers = new DefaultHttp2Headers().method("GET").path("/").scheme("http")
            .authority(target.getHostString() + ":" + target.getPort());
        Connection connection = new Builder(headers).build();
        new Bootstrap().group(loops.get(i % loops.size()))
            .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2000)
            .handler(new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new FlushConsolidationHandler(256, false), connection);
              }
            })
            .connect(target).syncUninterruptibly();
        connection.ready.get(5, TimeUnit.SECONDS);
        connections[i] = connection;
      }
    } catch (Exception e) {
      close();
      throw new IllegalStateException("cannot open h2c connections to " + targets, e);
    }
  }

  @Override
  public CompletableFuture<Integer> send() {
    Connection connection = connections[Math.floorMod(next.getAndIncrement(), connections.length)];
    Call call = new Call();
    EventLoop loop = connection.ctx.channel().eventLoop();
    if (loop.inEventLoop()) {
      connection.start(call);
    } else {
      loop.execute(() -> connection.start(call));
    }
    return call;
  }

  @Override
  public int status(Object response) {
    return (Integer) response;
  }

  @Override
  public String loopThreadPrefix() {
    return THREADS;
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** One request's future and the status of its answer, once the answer's HEADERS arrived. */
  private static final class Call extends CompletableFuture<Integer> {
    int status = -1;
  }

  /** One h2c connection: its streams' futures by stream id, confined to its loop. */
  private static final class Connection extends Http2ConnectionHandler {
    private final Http2Headers request;
    private final IntObjectHashMap<Call> streams = new IntObjectHashMap<>();
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    ChannelHandlerContext ctx;

    Connection(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings,
        Http2Headers request) {
      super(decoder, encoder, settings);
      this.request = request;
      decoder.frameListener(new Responses());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
      this.ctx = ctx;
      super.handlerAdded(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      super.channelActive(ctx); // sends the preface
      connection().local().flowController().incrementWindowSize(connection().connectionStream(),
          WINDOW - Http2CodecUtil.DEFAULT_WINDOW_SIZE);
    }

    void start(Call call) {
      int id = connection().local().incrementAndGetNextStreamId();
      streams.put(id, call);
      encoder().writeHeaders(ctx, id, request, 0, true, ctx.newPromise());
      flush(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      IOException closed = new IOException("connection closed with a request in flight");
      for (Call call : streams.values()) {
        call.completeExceptionally(closed);
      }
      streams.clear();
      ready.completeExceptionally(closed);
      super.channelInactive(ctx);
    }

    private void end(int streamId) {
      Call call = streams.remove(streamId);
      if (call != null) {
        call.complete(call.status);
      }
    }

    /** Response frames. */
    private final class Responses extends Http2FrameAdapter {
      @Override
      public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
          boolean endOfStream) {
        Call call = streams.get(streamId);
        if (call != null && headers.status() != null) {
          call.status = AsciiString.of(headers.status()).parseInt();
        }
        if (endOfStream) {
          end(streamId);
        }
      }

      @Override
      public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
          int streamDependency, short weight, boolean exclusive, int padding, boolean endOfStream) {
        onHeadersRead(ctx, streamId, headers, padding, endOfStream);
      }

      @Override
      public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding,
          boolean endOfStream) {
        if (endOfStream) {
          end(streamId);
        }
        return data.readableBytes() + padding;
      }

      @Override
      public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
        Call call = streams.remove(streamId);
        if (call != null) {
          call.completeExceptionally(new IOException("stream " + streamId + " reset: " + errorCode));
        }
      }

      @Override
      public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
        ready.complete(null);
      }
    }
  }

  /** Builds a connection with Meshwork's client settings. */
  private static final class Builder extends AbstractHttp2ConnectionHandlerBuilder<Connection, Builder> {
    private final Http2Headers request;

    Builder(Http2Headers request) {
      this.request = request;
      server(false);
      initialSettings(Http2Settings.defaultSettings().pushEnabled(false).maxHeaderListSize(64 * 1024)
          .initialWindowSize(WINDOW));
      gracefulShutdownTimeoutMillis(0);
    }

    @Override
    protected Connection build() {
      return super.build();
    }

    @Override
    protected Connection build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
        Http2Settings settings) {
      return new Connection(decoder, encoder, settings, request);
    }
  }
}
