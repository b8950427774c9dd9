package io.meshwork.netty.internal.client;

import io.meshwork.MeshException;
import io.meshwork.netty.internal.EventLoops;
import io.meshwork.netty.internal.TransportSettings;
import io.meshwork.netty.internal.tls.ClientTls;
import io.meshwork.transport.ClientOptions;
import io.meshwork.security.WorkloadIdentity;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * What every pool of one destination shares: its options, the transport's limits and event loops,
 * its TLS, and a bootstrap template each pool copies for its own loop.
 */
final class ClientContext {

  final String service;
  final int maxResponseBytes;
  final int maxResponseHeaderBytes;
  final long connectTimeoutMillis;
  final long idleTimeoutNanos;
  final int maxConnectionsPerLoop;
  final int maxPendingPerLoop;
  final int maxPendingPerInstance;
  final EventLoops loops;
  /** Mutual TLS for every new connection; null for plaintext. */
  final ClientTls tls;
  /** For the metrics (issue 13): connections open and idle now, TLS handshakes done and failed. */
  final AtomicLong openConnections = new AtomicLong();
  final AtomicLong idleConnections = new AtomicLong();
  final LongAdder handshakes = new LongAdder();
  final LongAdder handshakeFailures = new LongAdder();
  private final Bootstrap template;

  ClientContext(ClientOptions options, TransportSettings settings, EventLoops loops, SslProvider sslProvider) {
    this.service = options.service();
    this.maxResponseBytes = options.maxResponseBytes();
    this.maxResponseHeaderBytes = settings.maxResponseHeaderBytes();
    this.connectTimeoutMillis = Math.max(1, options.connectTimeout().toMillis());
    this.idleTimeoutNanos = settings.idleTimeout().toNanos();
    this.loops = loops;
    // The per-instance bounds are split evenly between the loops that each own a share of the pool.
    this.maxConnectionsPerLoop = ceilDiv(settings.maxConnectionsPerInstance(), loops.size());
    this.maxPendingPerLoop = ceilDiv(settings.maxPendingPerInstance(), loops.size());
    this.maxPendingPerInstance = settings.maxPendingPerInstance();
    // The connect timeout bounds the handshake too: together they are "opening a connection".
    this.tls = options.tls() == null ? null
        : new ClientTls(service, options.tls(), sslProvider, options.protocol(), connectTimeoutMillis);
    this.template = new Bootstrap()
        .channel(loops.socketChannelClass())
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeoutMillis))
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT);
  }

  /**
   * Ends one connect attempt of a pool: a failure goes to {@code failed} as a connect failure naming
   * {@code address}; a success goes to {@code connected} once HTTP can begin, which with TLS is after
   * the handshake and {@code addHttp}, and in plaintext at once (the HTTP handlers are already there).
   */
  void completeConnect(Future<? super Void> result, WorkloadIdentity expected, String address,
      Consumer<Channel> addHttp, Consumer<Channel> connected, Consumer<MeshException> failed) {
    Channel channel = ((ChannelFuture) result).channel();
    if (!result.isSuccess()) {
      failed.accept(ClientFailures.connectFailed(service, address, result.cause(), connectTimeoutMillis));
    } else if (tls == null) {
      counted(channel);
      connected.accept(channel);
    } else {
      // Opening a TLS connection ends with its handshake; only then does HTTP begin.
      tls.secure(channel, expected, address, secured -> {
        handshakes.increment();
        counted(secured);
        addHttp.accept(secured);
        connected.accept(secured);
      }, failure -> {
        handshakeFailures.increment();
        failed.accept(failure);
      });
    }
  }

  /** Counts {@code channel} as open until it closes. */
  private void counted(Channel channel) {
    openConnections.incrementAndGet();
    channel.closeFuture().addListener(closed -> openConnections.decrementAndGet());
  }

  /** A bootstrap of the template bound to {@code loop}; the caller sets its handler. */
  Bootstrap bootstrap(EventLoop loop) {
    return template.clone(loop);
  }

  long idleTimeoutMillis() {
    return TimeUnit.NANOSECONDS.toMillis(idleTimeoutNanos);
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
