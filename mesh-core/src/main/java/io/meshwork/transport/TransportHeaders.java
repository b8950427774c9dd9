package io.meshwork.transport;

/** Header fields the mesh itself sends and reads. */
public final class TransportHeaders {

  /** The caller's remaining deadline in milliseconds; the server answers 504 once it has passed. */
  public static final String TIMEOUT_MS = "x-meshwork-timeout-ms";

  private TransportHeaders() {}
}
