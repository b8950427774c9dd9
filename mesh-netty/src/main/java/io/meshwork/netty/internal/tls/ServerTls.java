package io.meshwork.netty.internal.tls;

import io.meshwork.security.SpiffeIds;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.transport.TlsCredentials;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of mutual TLS for one inbound server. Each new connection gets a handler from the
 * SslContext of the credentials' current generation, built on first use after a rotation: a new
 * certificate serves new connections while open ones carry on with the old. Once a handshake
 * succeeds, the caller's SPIFFE identity is read from its certificate and kept on the channel, so
 * requests find it without touching TLS again.
 */
public final class ServerTls {

  private static final Logger log = LoggerFactory.getLogger(ServerTls.class);
  private static final AttributeKey<WorkloadIdentity> PEER = AttributeKey.valueOf(ServerTls.class, "peer");

  private final String service;
  private final TlsCredentials credentials;
  private final SslProvider provider;
  /** For the metrics (issue 13): handshakes that succeeded and that failed. */
  private final LongAdder handshakes = new LongAdder();
  private final LongAdder handshakeFailures = new LongAdder();
  private volatile Generation cached;

  /** Mutual TLS for the server of {@code service} with {@code credentials}. */
  public ServerTls(String service, TlsCredentials credentials, SslProvider provider) {
    this.service = service;
    this.credentials = credentials;
    this.provider = provider;
  }

  /** The handler doing the server side of the handshake on {@code channel}. */
  public SslHandler newHandler(Channel channel) {
    SslHandler handler = context().newHandler(channel.alloc());
    handler.handshakeFuture().addListener(done -> onHandshake(channel, handler, done));
    return handler;
  }

  /** The verified caller of {@code channel}; null on a plaintext connection. */
  public static WorkloadIdentity peerOf(Channel channel) {
    return channel.hasAttr(PEER) ? channel.attr(PEER).get() : null;
  }

  /** The context of the current generation; built by whichever connection first needs it. */
  SslContext context() {
    // The generation is read before the bundle: a context is never older than its tag.
    long generation = credentials.generation();
    Generation current = cached;
    if (current == null || current.number != generation) {
      SslContext context;
      try {
        context = TlsContexts.server(TlsMaterial.of(credentials.current()), credentials, provider);
      } catch (SSLException | RuntimeException e) {
        if (current == null) {
          log.error("{}: cannot set up TLS with the credentials; refusing connections", service, e);
          throw new IllegalStateException(service + ": cannot set up TLS: " + e, e);
        }
        // Better the previous certificate, still valid for a while, than no service at all.
        log.error("{}: cannot set up TLS with the rotated credentials; keeping the previous ones", service, e);
        context = current.context;
      }
      current = new Generation(generation, context);
      cached = current; // two connections racing here build twice: harmless, and nothing blocks
    }
    return current.context;
  }

  /** TLS handshakes that succeeded since the server started. */
  public long handshakes() {
    return handshakes.sum();
  }

  /** TLS handshakes that failed (refused certificates, timeouts, peers gone) since the server started. */
  public long handshakeFailures() {
    return handshakeFailures.sum();
  }

  private void onHandshake(Channel channel, SslHandler handler, Future<? super Channel> done) {
    (done.isSuccess() ? handshakes : handshakeFailures).increment(); // telemetry (issue 13)
    if (!done.isSuccess()) {
      // A certificate we refused is worth an operator's attention; a peer that went away is not.
      if (HandshakeFailures.isRefusedCertificate(done.cause())) {
        log.info("{}: refused TLS from {}: {}", service, channel.remoteAddress(),
            HandshakeFailures.reason(done.cause()));
      } else {
        log.debug("{}: TLS handshake from {} failed: {}", service, channel.remoteAddress(),
            HandshakeFailures.reason(done.cause()));
      }
      return;
    }
    X509Certificate leaf = peerCertificate(handler);
    // A resumed session skips certificate verification, and revocations may have come since.
    if (leaf == null || credentials.isRevoked(leaf.getSerialNumber())) {
      log.debug("{}: refused TLS from {}: resumed session of a revoked or missing certificate", service,
          channel.remoteAddress());
      channel.close();
      return;
    }
    channel.attr(PEER).set(SpiffeIds.identityOf(leaf).orElse(null));
  }

  private static X509Certificate peerCertificate(SslHandler handler) {
    try {
      Certificate[] chain = handler.engine().getSession().getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? leaf : null;
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  /** One generation's context. */
  private record Generation(long number, SslContext context) {}
}
