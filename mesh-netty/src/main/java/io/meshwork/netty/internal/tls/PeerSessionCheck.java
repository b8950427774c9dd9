package io.meshwork.netty.internal.tls;

import io.meshwork.security.SpiffeIds;
import io.meshwork.transport.TlsCredentials;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Date;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Right behind the server's TLS handler, before any request is read: a resumed session skips the
 * verification of the client's certificate, so what may have changed since it was verified, time
 * and revocations, is checked again for every session, resumed or not. A session whose certificate
 * has expired or been revoked since is refused: the connection is closed and nothing it sent is
 * read. A session that passes gives the channel its caller's identity, and the check leaves the
 * pipeline.
 */
final class PeerSessionCheck extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(PeerSessionCheck.class);

  private final String service;
  private final TlsCredentials credentials;
  private final SslHandler tls;
  private boolean refused;

  PeerSessionCheck(String service, TlsCredentials credentials, SslHandler tls) {
    this.service = service;
    this.credentials = credentials;
    this.tls = tls;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof SslHandshakeCompletionEvent done && done.isSuccess() && !check(ctx)) {
      return;
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    // The handshake event comes before any data; should it not, the data waits for the check.
    if (refused || !check(ctx)) {
      ReferenceCountUtil.release(msg); // a refused session's requests are never read
      return;
    }
    ctx.fireChannelRead(msg);
  }

  /** Checks the session once; false, closing the connection, when it is refused. */
  private boolean check(ChannelHandlerContext ctx) {
    if (refused) {
      return false;
    }
    X509Certificate[] chain = peerChain();
    String refusal = refusal(chain);
    if (refusal != null) {
      refused = true;
      log.info("{}: refused the TLS session of {}: {}", service, ctx.channel().remoteAddress(), refusal);
      ctx.close();
      return false;
    }
    ServerTls.setPeer(ctx.channel(), SpiffeIds.identityOf(chain[0]).orElse(null));
    ctx.pipeline().remove(this);
    return true;
  }

  /** Why the session must be refused now, or null. */
  private String refusal(X509Certificate[] chain) {
    if (chain.length == 0) {
      return "the client presented no certificate";
    }
    Date now = Date.from(credentials.clock().instant());
    for (X509Certificate certificate : chain) {
      String serial = certificate.getSerialNumber().toString(16);
      if (credentials.isRevoked(certificate.getSerialNumber())) {
        return "the client's certificate " + serial + " is revoked";
      }
      try {
        certificate.checkValidity(now);
      } catch (CertificateExpiredException e) {
        return "the client's certificate " + serial + " expired at " + certificate.getNotAfter().toInstant();
      } catch (CertificateNotYetValidException e) {
        return "the client's certificate " + serial + " is not valid before " + certificate.getNotBefore().toInstant();
      }
    }
    return null;
  }

  private X509Certificate[] peerChain() {
    try {
      Certificate[] chain = tls.engine().getSession().getPeerCertificates();
      X509Certificate[] x509 = new X509Certificate[chain.length];
      for (int i = 0; i < chain.length; i++) {
        if (!(chain[i] instanceof X509Certificate certificate)) {
          return new X509Certificate[0];
        }
        x509[i] = certificate;
      }
      return x509;
    } catch (SSLPeerUnverifiedException e) {
      return new X509Certificate[0];
    }
  }
}
