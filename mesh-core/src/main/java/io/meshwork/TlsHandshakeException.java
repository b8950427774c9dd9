package io.meshwork;

/** The TLS handshake failed (untrusted, expired or revoked certificate, or wrong identity). Never retried. */
public class TlsHandshakeException extends MeshException {

  /** A failure concerning {@code service}. */
  public TlsHandshakeException(String service, String message, Throwable cause) {
    super(service, message, cause);
  }

  /** A failure concerning {@code service}, with no cause. */
  public TlsHandshakeException(String service, String message) {
    super(service, message, null);
  }

  @Override
  public boolean mayHaveBeenProcessed() {
    return false;
  }
}
