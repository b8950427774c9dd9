package io.meshwork.netty.internal.tls;

import io.meshwork.policy.Protocol;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.transport.TlsCredentials;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;

/**
 * The client side of mutual TLS towards one destination. Contexts are made per identity the
 * servers must present (instances of one service may live in different namespaces) and per
 * generation of the credentials: after a rotation the next new connection builds a context with the
 * new certificate, while connections already open keep theirs until they close.
 */
public final class ClientTls {

  private static final String TLS = "tls";
  private static final String SINK = "tls-handshake";

  private final TlsCredentials credentials;
  private final SslProvider provider;
  private final Protocol protocol;
  private final long handshakeTimeoutMillis;
  private volatile Generation cached;

  /** TLS with {@code credentials}, offering {@code protocol}; a handshake is given {@code handshakeTimeoutMillis}. */
  public ClientTls(TlsCredentials credentials, SslProvider provider, Protocol protocol, long handshakeTimeoutMillis) {
    this.credentials = credentials;
    this.provider = provider;
    this.protocol = protocol;
    this.handshakeTimeoutMillis = handshakeTimeoutMillis;
  }

  /**
   * Starts the handshake on {@code channel}, just connected to a server that must present
   * {@code expected}. The future completes on the channel's loop, synchronously with the end of the
   * handshake, so the caller's listener adds its protocol handlers before any byte of the server's
   * can arrive; it must then call {@link #secured(Channel)}.
   *
   * @throws IllegalStateException when the current credentials cannot be used (no handshake began)
   */
  public Future<Channel> handshake(Channel channel, WorkloadIdentity expected) {
    SslHandler handler = context(expected).newHandler(channel.alloc());
    handler.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
    // Added to an active channel, the handler starts the handshake at once.
    channel.pipeline().addLast(TLS, handler).addLast(SINK, HandshakeSink.INSTANCE);
    return handler.handshakeFuture();
  }

  /** The handshake of {@code channel} succeeded: what follows is the protocol handlers' to handle. */
  public static void secured(Channel channel) {
    if (channel.pipeline().context(SINK) != null) {
      channel.pipeline().remove(SINK);
    }
  }

  private SslContext context(WorkloadIdentity expected) {
    long number = credentials.generation(); // before the bundle: a context is never older than its tag
    Generation generation = cached;
    if (generation == null || generation.number != number) {
      generation = new Generation(number, TlsMaterial.of(credentials.current()));
      cached = generation; // racing callers may each make one: harmless, and nothing blocks
    }
    Generation of = generation;
    return of.contexts.computeIfAbsent(expected, identity -> {
      try {
        return TlsContexts.client(of.material, credentials, provider, identity, protocol);
      } catch (SSLException e) {
        throw new IllegalStateException("cannot set up TLS with the current credentials: " + e, e);
      }
    });
  }

  /**
   * Ends the pipeline while the handshake runs: the SSL handler reports a failure both through its
   * handshake future, which the pool reads, and as an exception, which would otherwise be logged as
   * unhandled.
   */
  @ChannelHandler.Sharable
  private static final class HandshakeSink extends ChannelInboundHandlerAdapter {
    static final HandshakeSink INSTANCE = new HandshakeSink();

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** One generation's material and the contexts made from it. */
  private static final class Generation {
    final long number;
    final TlsMaterial material;
    final Map<WorkloadIdentity, SslContext> contexts = new ConcurrentHashMap<>();

    Generation(long number, TlsMaterial material) {
      this.number = number;
      this.material = material;
    }
  }
}
