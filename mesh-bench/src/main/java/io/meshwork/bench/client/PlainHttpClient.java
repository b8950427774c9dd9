package io.meshwork.bench.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The physical limit: a plain Netty HTTP/1.1 keep-alive client with no policy at all. It sends a
 * pre-encoded GET round robin over its targets, one request per connection at a time (no
 * pipelining), and keeps idle connections per event loop and target, most recently used first. It
 * is held to what Meshwork's client does, so that it is a limit and not a straw man: a request
 * issued on an event loop goes out on a connection of that loop without a thread hop; one issued
 * on any other thread goes to the loop with the fewest requests in flight (so one application thread
 * still uses every loop); requests go out as raw bytes with no write promise; and the response
 * decoder has Meshwork's settings (no header validation, the same size limits).
 */
public final class PlainHttpClient implements LoadClient {

  /** The name prefix of its event-loop threads. */
  static final String THREADS = "plain-client";
  /** Ints between two loops' in-flight counters: 128 bytes, off each other's cache lines. */
  private static final int STRIDE = 32;
  /** Meshwork's response decoder settings (see mesh-netty's Http1ResponseDecoder). */
  private static final HttpDecoderConfig DECODER = new HttpDecoderConfig()
      .setMaxInitialLineLength(8192)
      .setMaxHeaderSize(64 * 1024)
      .setMaxChunkSize(64 * 1024)
      .setValidateHeaders(false);

  private final EventLoopGroup group;
  private final Bootstrap bootstrap;
  private final InetSocketAddress[] targets;
  private final EventLoop[] loops;
  /** Idle connections by event loop, then by target. */
  private final ConcurrentLinkedDeque<Channel>[][] idle;
  private final AtomicInteger next = new AtomicInteger();
  /** Requests in flight per loop, as Meshwork counts its exchanges to choose a loop. */
  private final AtomicIntegerArray inFlight;
  private final ByteBuf request;

  /** A client of {@code targets} on {@code threads} event loops. */
  @SuppressWarnings("unchecked")
  public PlainHttpClient(List<InetSocketAddress> targets, int threads) {
    boolean epoll = Epoll.isAvailable();
    this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(THREADS, true),
        epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    this.bootstrap = new Bootstrap().group(group)
        .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2000);
    this.targets = targets.toArray(new InetSocketAddress[0]);
    List<EventLoop> all = new ArrayList<>();
    for (EventExecutor executor : group) {
      all.add((EventLoop) executor);
    }
    this.loops = all.toArray(new EventLoop[0]);
    this.inFlight = new AtomicIntegerArray(loops.length * STRIDE);
    this.idle = new ConcurrentLinkedDeque[loops.length][this.targets.length];
    for (ConcurrentLinkedDeque<Channel>[] perLoop : idle) {
      for (int i = 0; i < perLoop.length; i++) {
        perLoop[i] = new ConcurrentLinkedDeque<>();
      }
    }
    this.request = encode("/");
  }

  /** A GET of {@code path}, encoded once, to send many times with {@link #send(int, ByteBuf)}. */
  public static ByteBuf encode(String path) {
    byte[] bytes = ("GET " + path + " HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    return Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes).asReadOnly());
  }

  @Override
  public CompletableFuture<Integer> send() {
    return send(Math.floorMod(next.getAndIncrement(), targets.length), request);
  }

  @Override
  public int status(Object response) {
    return (Integer) response;
  }

  @Override
  public String loopThreadPrefix() {
    return THREADS;
  }

  /** Sends {@code encoded} (from {@link #encode}) to target number {@code target}. */
  public CompletableFuture<Integer> send(int target, ByteBuf encoded) {
    int loop = loopIndex();
    inFlight.getAndIncrement(loop * STRIDE);
    Call call = new Call(this, loop);
    ConcurrentLinkedDeque<Channel> pool = idle[loop][target];
    Channel channel;
    while ((channel = pool.pollFirst()) != null) {
      if (channel.isActive()) {
        dispatch(channel, encoded, call);
        return call;
      }
    }
    ChannelFuture connect = bootstrap.clone(loops[loop]).handler(new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(new HttpResponseDecoder(DECODER), new Exchange(pool));
      }
    }).connect(targets[target]);
    connect.addListener(done -> {
      if (done.isSuccess()) {
        dispatch(connect.channel(), encoded, call);
      } else {
        call.fail(done.cause());
      }
    });
    return call;
  }

  /** The calling event loop, or the one with the fewest requests in flight when it runs none. */
  private int loopIndex() {
    for (int i = 0; i < loops.length; i++) {
      if (loops[i].inEventLoop()) {
        return i;
      }
    }
    int index = 0;
    int least = inFlight.get(0);
    for (int i = 1; i < loops.length && least > 0; i++) {
      int load = inFlight.get(i * STRIDE);
      if (load < least) {
        least = load;
        index = i;
      }
    }
    return index;
  }

  private static void dispatch(Channel channel, ByteBuf encoded, Call call) {
    channel.pipeline().get(Exchange.class).current = call;
    channel.writeAndFlush(encoded.duplicate(), channel.voidPromise());
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** The one exchange in flight on a connection; returns the connection to its pool when done. */
  private static final class Exchange extends SimpleChannelInboundHandler<HttpObject> {
    private final ConcurrentLinkedDeque<Channel> pool;
    volatile Call current;
    private int status;
    private boolean keepAlive;

    Exchange(ConcurrentLinkedDeque<Channel> pool) {
      this.pool = pool;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
      if (msg instanceof HttpResponse response) {
        status = response.status().code();
        keepAlive = HttpUtil.isKeepAlive(response);
      }
      if (msg instanceof LastHttpContent) {
        Call done = current;
        current = null;
        // Back to the pool before completing, so the caller's next request can reuse it.
        if (keepAlive) {
          pool.offerFirst(ctx.channel());
        } else {
          ctx.close();
        }
        if (done != null) {
          done.succeed(status);
        }
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      fail(new IOException("connection closed with a request in flight"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
      fail(cause);
    }

    private void fail(Throwable cause) {
      Call done = current;
      current = null;
      if (done != null) {
        done.fail(cause);
      }
    }
  }

  /** One request's future, counted as in flight on its loop until it completes. */
  private static final class Call extends CompletableFuture<Integer> {
    private final PlainHttpClient client;
    private final int loop;

    Call(PlainHttpClient client, int loop) {
      this.client = client;
      this.loop = loop;
    }

    void succeed(int status) {
      // Uncounted before the caller wakes, as Meshwork does, so its next request sees this loop idle.
      client.inFlight.getAndDecrement(loop * STRIDE);
      complete(status);
    }

    void fail(Throwable cause) {
      client.inFlight.getAndDecrement(loop * STRIDE);
      completeExceptionally(cause);
    }
  }
}
