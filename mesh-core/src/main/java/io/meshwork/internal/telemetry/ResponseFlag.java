package io.meshwork.internal.telemetry;

import io.meshwork.ConnectFailedException;
import io.meshwork.DeadlineExceededException;
import io.meshwork.Rejection;
import io.meshwork.AttemptTimeoutException;
import io.meshwork.RetriesExhaustedException;
import io.meshwork.TlsHandshakeException;
import io.meshwork.TransportException;
import java.util.concurrent.CancellationException;

/**
 * Why an exchange did not end with the callee's own answer, in Envoy's response flags, so access logs
 * read the same as a proxy's. One flag per exchange: the one that explains its outcome.
 */
public enum ResponseFlag {
  /** Nothing went wrong on the mesh's side. */
  NONE("-"),
  /** No healthy upstream instance. */
  UH("UH"),
  /** Upstream connection failure (connect refused, TLS handshake failed). */
  UF("UF"),
  /** Upstream request timeout: the call's deadline or an attempt's per-try timeout. */
  UT("UT"),
  /** Upstream retry limit exceeded: retries could not cure the outcome. */
  URX("URX"),
  /** Upstream overflow: a concurrency limit, or every circuit open. */
  UO("UO"),
  /** Rate limited: by the client's limit, or (inbound) by this server's. */
  RL("RL"),
  /** Denied by this server's authorization policy. */
  UAEX("UAEX"),
  /** Downstream disconnect: the caller gave the call up (cancelled it). */
  DC("DC"),
  /** Upstream connection termination after the request was sent (a reset). */
  UC("UC");

  private final String code;

  ResponseFlag(String code) {
    this.code = code;
  }

  /** Envoy's code, or "-" for none. */
  public String code() {
    return code;
  }

  /** The flag of an outbound call that failed with {@code failure} (unwrapped). */
  public static ResponseFlag of(Throwable failure) {
    if (failure instanceof RetriesExhaustedException) {
      return URX;
    }
    Rejection rejection = Rejection.of(failure);
    if (rejection != null) {
      return of(rejection);
    }
    if (failure instanceof ConnectFailedException || failure instanceof TlsHandshakeException) {
      return UF;
    }
    if (failure instanceof DeadlineExceededException || failure instanceof AttemptTimeoutException) {
      return UT;
    }
    if (failure instanceof CancellationException) {
      return DC;
    }
    if (failure instanceof TransportException) {
      return UC;
    }
    return NONE;
  }

  /** The flag of a call the mesh refused itself, sending nothing to any instance. */
  private static ResponseFlag of(Rejection rejection) {
    return switch (rejection) {
      case NO_HEALTHY_INSTANCE -> UH;
      case CONCURRENCY_LIMIT, CIRCUIT_OPEN -> UO;
      case RATE_LIMITED -> RL;
    };
  }
}
