package io.meshwork;

/** The authorization policy denied the caller, or the peer is not the identity that was expected. Never retried. */
public class UnauthorizedPeerException extends MeshException {

  /** A failure concerning {@code service}. */
  public UnauthorizedPeerException(String service, String message, Throwable cause) {
    super(service, message, cause);
  }

  /** A failure concerning {@code service}, with no cause. */
  public UnauthorizedPeerException(String service, String message) {
    super(service, message, null);
  }

}
