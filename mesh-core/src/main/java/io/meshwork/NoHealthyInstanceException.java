package io.meshwork;

/** No instance of the service could be picked: none registered, none healthy, or all excluded. */
public class NoHealthyInstanceException extends MeshException {

  /** A failure concerning {@code service}. */
  public NoHealthyInstanceException(String service, String message, Throwable cause) {
    super(service, message, cause);
  }

  /** A failure concerning {@code service}, with no cause. */
  public NoHealthyInstanceException(String service, String message) {
    super(service, message, null);
  }

  @Override
  public boolean mayHaveBeenProcessed() {
    return false;
  }
}
