package io.meshwork.netty.internal.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslCertificateException;
import io.netty.internal.tcnative.CertificateVerifier;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateException;
import java.security.cert.PKIXReason;

/**
 * Why {@link PeerVerifier} refuses a certificate, and how to say so to the peer. The exception's
 * message is the reason our side reports; the alert the peer receives is chosen by the SSL provider
 * from the exception: BoringSSL from an OpenSSL verification error code (anything it does not know
 * becomes "internal error"), the JDK from a {@link CertPathValidatorException} reason.
 */
enum Refusal {
  EXPIRED(BasicReason.EXPIRED),
  NOT_YET_VALID(BasicReason.NOT_YET_VALID),
  UNTRUSTED(PKIXReason.NO_TRUST_ANCHOR),
  REVOKED(BasicReason.REVOKED),
  /** Valid and trusted, but not the identity or trust domain asked for. */
  REJECTED(BasicReason.UNSPECIFIED),
  /** Not issued for TLS client or server authentication, as the role needs. */
  WRONG_USAGE(BasicReason.UNSPECIFIED);

  private final CertPathValidatorException.Reason reason;

  Refusal(CertPathValidatorException.Reason reason) {
    this.reason = reason;
  }

  /** The exception a trust manager throws to refuse with {@code message}. */
  CertificateException exception(String message, Throwable cause, boolean openSsl) {
    CertPathValidatorException why = new CertPathValidatorException(message, cause, null, -1, reason);
    // The error codes are read from the native library: only touched once it is loaded, as reading
    // them earlier would fail their class's initialization for good.
    return openSsl && OpenSsl.isAvailable() ? new OpenSslCertificateException(message, why, openSslError())
        : new CertificateException(message, why);
  }

  private int openSslError() {
    return switch (this) {
      case EXPIRED -> CertificateVerifier.X509_V_ERR_CERT_HAS_EXPIRED;
      case NOT_YET_VALID -> CertificateVerifier.X509_V_ERR_CERT_NOT_YET_VALID;
      case UNTRUSTED -> CertificateVerifier.X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY;
      case REVOKED -> CertificateVerifier.X509_V_ERR_CERT_REVOKED;
      case REJECTED -> CertificateVerifier.X509_V_ERR_CERT_REJECTED;
      case WRONG_USAGE -> CertificateVerifier.X509_V_ERR_INVALID_PURPOSE;
    };
  }
}
