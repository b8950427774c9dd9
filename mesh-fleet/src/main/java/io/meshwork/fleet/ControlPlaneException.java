package io.meshwork.fleet;

import io.meshwork.MeshException;

/** The control plane answered an error status; {@link #status()} says which. */
public final class ControlPlaneException extends MeshException {

  private final int status;

  /** An answer with {@code status}, described by {@code message}. */
  public ControlPlaneException(int status, String message) {
    super(null, message);
    this.status = status;
  }

  /** The HTTP status the control plane answered. */
  public int status() {
    return status;
  }
}
