package io.meshwork.netty;

import io.meshwork.MeshClosedException;
import io.meshwork.MeshHandler;
import io.meshwork.netty.internal.EventLoops;
import io.meshwork.netty.internal.TransportSettings;
import io.meshwork.netty.internal.WheelScheduler;
import io.meshwork.netty.internal.client.NettyClient;
import io.meshwork.netty.internal.server.NettyServer;
import io.meshwork.netty.internal.tls.ServerTls;
import io.meshwork.netty.internal.tls.TlsProviders;
import io.meshwork.security.MtlsMode;
import io.meshwork.time.Scheduler;
import io.meshwork.transport.ClientOptions;
import io.meshwork.transport.ServerOptions;
import io.meshwork.transport.Transport;
import io.meshwork.transport.TransportClient;
import io.meshwork.transport.TransportServer;
import io.netty.handler.ssl.SslProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The transport real applications use: HTTP/1.1 keep-alive pools and multiplexed HTTP/2 connections
 * towards each instance, and an inbound server speaking both on one port. With credentials in the
 * options, both ends do mutual TLS (1.3 or 1.2; BoringSSL through netty-tcnative when it loads, the
 * JDK's provider otherwise; HTTP/2 negotiated by ALPN), verify the peer's chain, revocation and
 * SPIFFE identity, and pick up rotated certificates for new connections. Its event loops (native
 * epoll where available, NIO otherwise) are shared by every client and server it makes, and its
 * {@link #scheduler()} runs the mesh's timers without taking locks.
 *
 * <pre>{@code
 * try (NettyTransport transport = NettyTransport.builder().eventLoopThreads(4).build();
 *      Mesh mesh = Mesh.builder().service("orders").transport(transport).build()) {
 *   mesh.call("users", MeshRequest.get("/users/42")).join();
 * }
 * }</pre>
 *
 * <p>A mesh built without a transport makes one of these itself (found through
 * {@link NettyTransportProvider}) and closes it with the mesh. Thread-safe.
 */
public final class NettyTransport implements Transport {

  private final TransportSettings settings;
  private final EventLoops loops;
  private final WheelScheduler scheduler;
  private final Set<NettyClient> clients = ConcurrentHashMap.newKeySet();
  private final Set<NettyServer> servers = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Chosen on first use: asking loads the native library, which plaintext never needs. */
  private volatile SslProvider sslProvider;

  private NettyTransport(TransportSettings settings) {
    this.settings = settings;
    this.loops = new EventLoops(settings.eventLoopThreads(), settings.preferNative(), "meshwork-netty");
    this.scheduler = new WheelScheduler(settings.timerTick(), "meshwork-timer");
  }

  /** A transport with the defaults of {@link Builder}. */
  public static NettyTransport create() {
    return builder().build();
  }

  /** A builder of a transport; every setter checks its value at once. */
  public static Builder builder() {
    return new Builder();
  }

  /** Opens the client side towards one destination; HTTP/1.1 or HTTP/2 as its options say. */
  @Override
  public TransportClient client(ClientOptions options) {
    Objects.requireNonNull(options, "options");
    checkOpen(options.service());
    NettyClient client = new NettyClient(options, settings, loops, options.tls() == null ? null : sslProvider(),
        clients::remove);
    clients.add(client);
    return client;
  }

  /**
   * Binds a server for HTTP/1.1 and HTTP/2 on {@code options.host():options.port()} (port 0 for any
   * free one) and returns once it listens: plaintext, mutual TLS only, or either, as
   * {@code options.mtls()} says. Fails with a {@code MeshException} naming the address when it
   * cannot bind.
   */
  @Override
  public TransportServer bind(ServerOptions options, MeshHandler handler) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(handler, "handler");
    checkOpen(options.service());
    ServerTls tls = options.mtls() == MtlsMode.DISABLED ? null
        : new ServerTls(options.service(), options.tls(), sslProvider());
    NettyServer server = NettyServer.bind(loops, settings, options, handler, tls);
    servers.add(server);
    server.closeFuture().whenComplete((done, failure) -> servers.remove(server));
    return server;
  }

  /** A lock-free timer wheel ticking every {@link Builder#timerTick(Duration)}. */
  @Override
  public Scheduler scheduler() {
    return scheduler;
  }

  /** The SSL implementation of mutual TLS: OPENSSL (BoringSSL) when it loads and is allowed, else JDK. */
  SslProvider sslProvider() {
    SslProvider provider = sslProvider;
    if (provider == null) {
      provider = TlsProviders.choose(settings.preferOpenSsl());
      sslProvider = provider;
    }
    return provider;
  }

  /** Whether the event loops use native epoll rather than NIO. */
  public boolean isNative() {
    return loops.isNative();
  }

  /**
   * Stops taking work, lets in-flight exchanges and requests finish for up to the shutdown grace
   * period (servers drain: {@code Connection: close} and GOAWAY), closes whatever is left, then
   * stops the event loops, waiting for them with a bound. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    Duration grace = settings.shutdownGrace();
    List<CompletableFuture<Void>> draining = new ArrayList<>();
    for (NettyServer server : servers) {
      draining.add(server.closeAsync(grace));
    }
    for (NettyClient client : clients) {
      draining.add(client.closeGracefully());
    }
    awaitQuietly(CompletableFuture.allOf(draining.toArray(new CompletableFuture<?>[0])), grace);
    for (NettyClient client : clients) {
      client.closeNow();
    }
    for (NettyServer server : servers) {
      server.closeNow();
    }
    loops.shutdown(Duration.ofSeconds(5));
    scheduler.close();
  }

  @Override
  public String toString() {
    return "NettyTransport{" + loops.size() + (loops.isNative() ? " epoll" : " nio") + " loops}";
  }

  private void checkOpen(String service) {
    if (closed.get()) {
      throw new MeshClosedException(service, "Netty transport is closed");
    }
  }

  private static void awaitQuietly(CompletableFuture<Void> quiet, Duration grace) {
    try {
      quiet.get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Past the grace period, or a drain failed: what is left is closed right after.
    }
  }

  /**
   * Builds a {@link NettyTransport}. Defaults: one event loop per processor, native epoll when
   * available, 64 HTTP/1.1 connections and 1024 waiting requests per instance, 60 s client idle
   * timeout, 5 min server idle timeout, 5 s shutdown grace, 1 ms timer tick, 64 KiB response headers.
   */
  public static final class Builder {
    private int eventLoopThreads = Runtime.getRuntime().availableProcessors();
    private boolean preferNative = true;
    private int maxConnectionsPerInstance = 64;
    private int maxPendingPerInstance = 1024;
    private Duration idleTimeout = Duration.ofSeconds(60);
    private Duration serverIdleTimeout = Duration.ofMinutes(5);
    private Duration shutdownGrace = Duration.ofSeconds(5);
    private Duration timerTick = Duration.ofMillis(1);
    private int maxResponseHeaderBytes = 64 * 1024;
    private boolean preferOpenSsl = true;

    private Builder() {}

    /** The event loop threads shared by all clients and servers, 1..1024. */
    public Builder eventLoopThreads(int value) {
      this.eventLoopThreads = between("eventLoopThreads", value, 1, 1024);
      return this;
    }

    /** Whether to use native epoll when the platform has it; NIO otherwise. True unless set. */
    public Builder nativeTransport(boolean value) {
      this.preferNative = value;
      return this;
    }

    /** The most HTTP/1.1 connections kept open to one instance, 1..65536. */
    public Builder maxConnectionsPerInstance(int value) {
      this.maxConnectionsPerInstance = between("maxConnectionsPerInstance", value, 1, 65536);
      return this;
    }

    /**
     * The most requests that may wait for a connection (HTTP/1.1) or a stream (HTTP/2) of one
     * instance, 0..1_000_000; beyond it a request fails fast with a ConcurrencyLimitException.
     */
    public Builder maxPendingPerInstance(int value) {
      this.maxPendingPerInstance = between("maxPendingPerInstance", value, 0, 1_000_000);
      return this;
    }

    /** How long an unused client connection is kept before it is closed; > 0. */
    public Builder idleTimeout(Duration value) {
      this.idleTimeout = positive("idleTimeout", value);
      return this;
    }

    /** How long the server keeps a connection with nothing in flight and no traffic; > 0. */
    public Builder serverIdleTimeout(Duration value) {
      this.serverIdleTimeout = positive("serverIdleTimeout", value);
      return this;
    }

    /** How long {@link NettyTransport#close()} lets in-flight work finish; >= 0. */
    public Builder shutdownGrace(Duration value) {
      if (value == null || value.isNegative()) {
        throw new IllegalArgumentException("shutdownGrace: " + value + " (expected: >= 0)");
      }
      this.shutdownGrace = value;
      return this;
    }

    /** The resolution of the scheduler's timer wheel, 100 µs..1 s. */
    public Builder timerTick(Duration value) {
      if (value == null || value.compareTo(Duration.ofNanos(100_000)) < 0
          || value.compareTo(Duration.ofSeconds(1)) > 0) {
        throw new IllegalArgumentException("timerTick: " + value + " (expected: 100µs..1s)");
      }
      this.timerTick = value;
      return this;
    }

    /** The largest response header block a client accepts, 1 KiB..16 MiB. */
    public Builder maxResponseHeaderBytes(int value) {
      this.maxResponseHeaderBytes = between("maxResponseHeaderBytes", value, 1024, 16 * 1024 * 1024);
      return this;
    }

    /**
     * Whether mutual TLS may use BoringSSL (netty-tcnative) when it loads; false forces the JDK's
     * provider. Package-private: for tests that cover both providers.
     */
    Builder openSsl(boolean value) {
      this.preferOpenSsl = value;
      return this;
    }

    /** The transport, with its event loops started. */
    public NettyTransport build() {
      return new NettyTransport(new TransportSettings(eventLoopThreads, preferNative,
          maxConnectionsPerInstance, maxPendingPerInstance, idleTimeout, serverIdleTimeout,
          shutdownGrace, timerTick, maxResponseHeaderBytes, preferOpenSsl));
    }

    private static int between(String field, int value, int min, int max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(field + ": " + value + " (expected: " + min + ".." + max + ")");
      }
      return value;
    }

    private static Duration positive(String field, Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(field + ": " + value + " (expected: > 0)");
      }
      return value;
    }
  }
}
