package io.meshwork.netty.internal.tls;

import io.meshwork.ConnectFailedException;
import io.meshwork.MeshException;
import io.meshwork.TlsHandshakeException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.security.cert.CertificateException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Turns what an SSL provider reports into the reason a person can act on. A refused certificate
 * (untrusted, expired, revoked, wrong identity) or a refusal by the peer is a
 * {@link TlsHandshakeException}, never retried; a handshake cut short by a closed connection or a
 * timeout says nothing about certificates and is a connect failure like any other.
 */
public final class HandshakeFailures {

  private HandshakeFailures() {}

  /** What to report for a client handshake with {@code address} that did not succeed. */
  public static MeshException of(String service, String address, Throwable cause) {
    if (!isTlsFailure(cause)) {
      String why = find(cause, SslHandshakeTimeoutException.class) != null
          ? cause.getMessage() : "connection closed (" + cause + ")";
      return new ConnectFailedException(service, "TLS handshake with " + address + " did not complete: " + why,
          cause);
    }
    return new TlsHandshakeException(service, "TLS handshake with " + address + " failed: "
        + reason(cause, "the server refused the handshake"), cause);
  }

  /**
   * What to report when the server refused the handshake after our side had finished it: with TLS
   * 1.3 a client learns that its certificate was refused only from the alert that arrives instead
   * of the first response. The request was never seen by the application.
   */
  public static MeshException refusedByServer(String service, String address, Throwable cause) {
    return new TlsHandshakeException(service, "TLS handshake with " + address + " failed: "
        + reason(cause, "the server refused our certificate"), cause);
  }

  /** Whether {@code cause} is a TLS failure rather than a connection that ended or timed out. */
  public static boolean isTlsFailure(Throwable cause) {
    return find(cause, SSLException.class) != null && find(cause, SslHandshakeTimeoutException.class) == null;
  }

  /** Whether our side refused the peer's certificate (rather than the peer or the network ending it). */
  public static boolean isRefusedCertificate(Throwable cause) {
    return find(cause, CertificateException.class) != null;
  }

  /** The reason a handshake failed, in words: our verifier's own, or what the provider or peer said. */
  public static String reason(Throwable cause) {
    return reason(cause, "the peer refused the handshake");
  }

  private static String reason(Throwable cause, String refusal) {
    CertificateException refused = find(cause, CertificateException.class);
    if (refused != null) {
      return refused.getMessage();
    }
    if (find(cause, NotSslRecordException.class) != null) {
      return "the peer does not speak TLS (it answered in plaintext)";
    }
    SSLException ssl = find(cause, SSLException.class);
    String message = ssl != null ? ssl.getMessage() : String.valueOf(cause);
    if (message != null && message.toLowerCase(Locale.ROOT).contains("alert")) {
      return refusal + " (" + message + ")";
    }
    return message;
  }

  private static <T extends Throwable> T find(Throwable cause, Class<T> type) {
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
