package io.meshwork.netty.internal.server;

import io.meshwork.MeshException;
import io.meshwork.netty.internal.EventLoops;
import io.meshwork.netty.internal.TransportSettings;
import io.meshwork.netty.internal.tls.ServerTls;
import io.meshwork.transport.ConnectionStats;
import io.meshwork.security.MtlsMode;
import io.meshwork.transport.InboundHandler;
import io.meshwork.transport.ServerOptions;
import io.meshwork.transport.TransportServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The inbound server: HTTP/1.1 and HTTP/2 on one port, every request handed to the handler on its
 * connection's event loop. With mutual TLS ({@code STRICT}) every connection starts with the
 * handshake, and a plaintext HTTP/1 request is told so with a 400; {@code PERMISSIVE} takes TLS or
 * plaintext, told apart by the first bytes; plaintext connections carry no TLS handler at all.
 * Closing stops accepting, tells every connection to drain (HTTP/1.1 answers carry
 * {@code Connection: close}, HTTP/2 gets GOAWAY), waits for them up to the grace period and then
 * closes what is left.
 */
public final class NettyServer implements TransportServer {

  private final ServerContext context;
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  /** Set once bound, before the server is handed out. */
  private Channel listener;
  private int port;
  /** The server's TLS, for the handshake metrics; null for plaintext. */
  private ServerTls tls;

  private NettyServer(ServerContext context) {
    this.context = context;
  }

  /**
   * Binds {@code options.host():options.port()} and returns once it listens; fails with a
   * {@link MeshException} naming the address when it cannot. {@code tls} is null for plaintext.
   */
  public static NettyServer bind(EventLoops loops, TransportSettings settings, ServerOptions options,
      InboundHandler handler, ServerTls tls) {
    ServerContext context = new ServerContext(options, handler,
        tls == null ? PeerIdentityResolver.PLAINTEXT : ServerTls::peerOf);
    MtlsMode mode = tls == null ? MtlsMode.DISABLED : options.mtls();
    // Made before binding: a connection may be accepted before bind() returns here.
    NettyServer server = new NettyServer(context);
    server.tls = tls;
    long idleMillis = settings.serverIdleTimeout().toMillis();
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(loops.group())
        .channel(loops.serverChannelClass())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel channel) {
            server.accepted(channel);
            ChannelPipeline pipeline = channel.pipeline();
            pipeline.addLast(new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS));
            if (mode != MtlsMode.DISABLED) {
              pipeline.addLast(new TlsDetector(tls, context, mode == MtlsMode.PERMISSIVE));
            }
            pipeline.addLast(new ProtocolDetector(context));
          }
        });
    ChannelFuture bound = bootstrap.bind(options.host(), options.port()).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      throw bindFailure(options, bound.cause());
    }
    server.listener = bound.channel();
    server.port = ((InetSocketAddress) bound.channel().localAddress()).getPort();
    return server;
  }

  /** Says what went wrong in words, not in Netty's exception class names. */
  private static MeshException bindFailure(ServerOptions options, Throwable cause) {
    String reason = String.valueOf(cause.getMessage());
    if (cause instanceof java.net.BindException || reason.contains("Address already in use")) {
      return new MeshException(options.service(), "port " + options.port() + " on " + options.host()
          + " is already in use (expected: a free port, or 0 for any free one)", cause);
    }
    if (reason.contains("Cannot assign requested address")) {
      return new MeshException(options.service(), "cannot listen on " + address(options) + ": "
          + options.host() + " is not an address of this machine (MeshBuilder.host)", cause);
    }
    return new MeshException(options.service(), "could not listen on " + address(options) + ": " + reason,
        cause);
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public ConnectionStats stats() {
    ServerTls secured = tls;
    return new ConnectionStats(connections.size(), 0, secured == null ? 0 : secured.handshakes(),
        secured == null ? 0 : secured.handshakeFailures());
  }

  /** Connections accepted since it started; for tests and metrics. */
  public long acceptedConnections() {
    return accepted.get();
  }

  @Override
  public void close(Duration grace) {
    closeAsync(grace).join();
  }

  /** {@link #close(Duration)} without waiting; the future completes when every connection is closed. */
  public CompletableFuture<Void> closeAsync(Duration grace) {
    if (!closing.compareAndSet(false, true)) {
      return closed;
    }
    // Draining is set before the connections are looked at: one accepted meanwhile sees it.
    context.draining = true;
    ChannelFuture stopped = listener.close();
    if (listener.eventLoop().inEventLoop()) {
      stopped.addListener(done -> drain(grace));
    } else {
      // Returns once nothing new is accepted, with every connection told to drain: an answer
      // written after this goes out behind the GOAWAY or with Connection: close.
      stopped.awaitUninterruptibly();
      drain(grace);
    }
    return closed;
  }

  private void drain(Duration grace) {
    for (Channel connection : connections) {
      connection.eventLoop().execute(() -> connection.pipeline().fireUserEventTriggered(ServerEvent.DRAIN));
    }
    ScheduledFuture<?> force = listener.eventLoop().schedule(() -> {
      connections.close();
    }, Math.max(0, grace.toMillis()), TimeUnit.MILLISECONDS);
    connections.newCloseFuture().addListener(all -> {
      force.cancel(false);
      closed.complete(null);
    });
  }

  /** Completes once the server and all its connections are closed. */
  public CompletableFuture<Void> closeFuture() {
    return closed;
  }

  /** Closes every connection now. */
  public void closeNow() {
    closeAsync(Duration.ZERO);
    connections.close();
  }

  private void accepted(Channel channel) {
    accepted.incrementAndGet();
    connections.add(channel);
    if (context.draining) {
      channel.close();
    }
  }

  private static String address(ServerOptions options) {
    String host = options.host();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + options.port();
  }

  @Override
  public String toString() {
    return "NettyServer{" + context.service + " on port " + port + "}";
  }
}
