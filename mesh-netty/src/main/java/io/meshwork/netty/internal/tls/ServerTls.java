package io.meshwork.netty.internal.tls;

import io.meshwork.security.WorkloadIdentity;
import io.meshwork.transport.TlsCredentials;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of mutual TLS for one inbound server. Each new connection gets a handler from the
 * SslContext of the credentials' current generation, built on first use after a rotation: a new
 * certificate serves new connections while open ones carry on with the old. Sessions live at most
 * {@link TlsContexts#SESSION_LIFETIME}; every session, resumed ones included, has its client
 * certificate checked again for expiry and revocation ({@link PeerSessionCheck}), and the caller's
 * SPIFFE identity is then kept on the channel, so requests find it without touching TLS again. A
 * client may not renegotiate ({@link RenegotiationGuard}).
 */
public final class ServerTls {

  private static final Logger log = LoggerFactory.getLogger(ServerTls.class);
  private static final AttributeKey<WorkloadIdentity> PEER = AttributeKey.valueOf(ServerTls.class, "peer");
  private static final String RENEGOTIATION_GUARD = "tls-renegotiation-guard";
  private static final String TLS = "tls";
  private static final String SESSION_CHECK = "tls-session-check";

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

  /**
   * Puts the server side of TLS in place of {@code detector}, which has seen that the connection
   * speaks TLS: a guard against renegotiation, the TLS handler, and the check of the session's
   * client certificate, in that order. The bytes the detector held go on to them.
   */
  public void install(ChannelHandlerContext detector) {
    Channel channel = detector.channel();
    SslHandler handler = context().newHandler(channel.alloc());
    handler.handshakeFuture().addListener(done -> onHandshake(channel, done));
    ChannelPipeline pipeline = detector.pipeline();
    pipeline.addAfter(detector.name(), TLS, handler);
    pipeline.addAfter(TLS, SESSION_CHECK, new PeerSessionCheck(service, credentials, handler));
    pipeline.replace(detector.handler(), RENEGOTIATION_GUARD, new RenegotiationGuard(service, handler));
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
      current = new Generation(generation, context, new TicketKeys(context, credentials.clock()));
      cached = current; // two connections racing here build twice: harmless, and nothing blocks
    }
    current.tickets.rotateIfDue();
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

  private void onHandshake(Channel channel, Future<? super Channel> done) {
    (done.isSuccess() ? handshakes : handshakeFailures).increment();
    if (done.isSuccess()) {
      return; // PeerSessionCheck takes it from here
    }
    // A certificate we refused is worth an operator's attention; a peer that went away is not.
    if (HandshakeFailures.isRefusedCertificate(done.cause())) {
      log.info("{}: refused TLS from {}: {}", service, channel.remoteAddress(), HandshakeFailures.reason(done.cause()));
    } else {
      log.debug("{}: TLS handshake from {} failed: {}", service, channel.remoteAddress(),
          HandshakeFailures.reason(done.cause()));
    }
  }

  /** Records the verified caller of {@code channel}. */
  static void setPeer(Channel channel, WorkloadIdentity identity) {
    channel.attr(PEER).set(identity);
  }

  /** One generation's context. */
  private record Generation(long number, SslContext context, TicketKeys tickets) {}
}
