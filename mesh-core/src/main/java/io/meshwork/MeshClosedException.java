package io.meshwork;

/** The mesh, or the server, is closed or closing and takes no new call. */
public class MeshClosedException extends MeshException {

  /** A failure concerning {@code service}. */
  public MeshClosedException(String service, String message, Throwable cause) {
    super(service, message, cause);
  }

  /** A failure concerning {@code service}, with no cause. */
  public MeshClosedException(String service, String message) {
    super(service, message, null);
  }

  @Override
  public boolean mayHaveBeenProcessed() {
    return false;
  }
}
