package io.meshwork.netty.internal.tls;

import io.meshwork.ConnectFailedException;
import io.meshwork.MeshException;
import io.meshwork.TlsHandshakeException;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
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

  private final String service;
  private final TlsCredentials credentials;
  private final SslProvider provider;
  private final Protocol protocol;
  private final long handshakeTimeoutMillis;
  private volatile Generation cached;

  /**
   * TLS towards {@code service} with {@code credentials}, offering {@code protocol}; a handshake is
   * given {@code handshakeTimeoutMillis}.
   */
  public ClientTls(String service, TlsCredentials credentials, SslProvider provider, Protocol protocol,
      long handshakeTimeoutMillis) {
    this.service = service;
    this.credentials = credentials;
    this.provider = provider;
    this.protocol = protocol;
    this.handshakeTimeoutMillis = handshakeTimeoutMillis;
  }

  /**
   * Does the TLS handshake on {@code channel}, just connected to {@code address}, whose server must
   * present {@code expected}. On success {@code onSecured} runs on the channel's loop synchronously
   * with the end of the handshake, so the protocol handlers it adds are in place before any byte of
   * the server's arrives. On failure the channel is closed and {@code onFailed} gets what to report:
   * a {@link io.meshwork.TlsHandshakeException} for a refusal, a connect failure for a handshake cut
   * short.
   */
  public void secure(Channel channel, WorkloadIdentity expected, String address, Consumer<Channel> onSecured,
      Consumer<MeshException> onFailed) {
    SslHandler handler;
    try {
      handler = context(expected).newHandler(channel.alloc());
    } catch (RuntimeException e) {
      channel.close();
      onFailed.accept(new TlsHandshakeException(service, "TLS with " + address + " not attempted: " + e, e));
      return;
    }
    handler.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
    // Added to an active channel, the handler starts the handshake at once.
    channel.pipeline().addLast(TLS, handler).addLast(SINK, HandshakeSink.INSTANCE);
    handler.handshakeFuture().addListener(done -> {
      if (done.isSuccess() && channel.isActive()) {
        channel.pipeline().remove(SINK);
        onSecured.accept(channel);
        return;
      }
      channel.close();
      onFailed.accept(done.isSuccess()
          ? new ConnectFailedException(service, "connection to " + address + " closed after the TLS handshake")
          : HandshakeFailures.of(service, address, done.cause()));
    });
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
   * handshake future, which {@link #secure} reads, and as an exception, which would otherwise be
   * logged as unhandled.
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
