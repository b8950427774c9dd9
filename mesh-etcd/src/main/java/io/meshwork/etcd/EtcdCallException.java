package io.meshwork.etcd;

import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * A request to etcd that failed, with what the registry needs to decide: was etcd unreachable (try
 * again later), or did it refuse (a lost lease, a compacted revision, anything else). Internal: the
 * public API reports {@link EtcdUnavailableException} or {@link io.meshwork.MeshException}.
 */
final class EtcdCallException extends RuntimeException {

  /** What went wrong, as far as the registry cares. */
  enum Kind {
    /** No answer: etcd down, unreachable, without a leader, or too slow. */
    UNREACHABLE,
    /** The lease named in the request no longer exists. */
    LEASE_NOT_FOUND,
    /** The revision asked for was compacted away. */
    COMPACTED,
    /** etcd answered with another error (permission denied, bad request...). */
    REFUSED
  }

  private final Kind kind;

  EtcdCallException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  Kind kind() {
    return kind;
  }

  /** Whether etcd simply did not answer, so that a later attempt may succeed. */
  boolean isUnreachable() {
    return kind == Kind.UNREACHABLE;
  }

  /** Classifies {@code failure}, a jetcd or gRPC exception, as the registry needs it. */
  static EtcdCallException classify(String what, Throwable failure) {
    while ((failure instanceof CompletionException || failure instanceof ExecutionException)
        && failure.getCause() != null) {
      failure = failure.getCause();
    }
    if (failure instanceof EtcdCallException known) {
      return known;
    }
    if (failure instanceof TimeoutException) {
      return new EtcdCallException(Kind.UNREACHABLE, what + ": no answer in time", failure);
    }
    if (failure instanceof CompactedException) {
      return new EtcdCallException(Kind.COMPACTED, what + ": revision compacted", failure);
    }
    String message = String.valueOf(failure.getMessage());
    if (message.contains("requested lease not found")) {
      return new EtcdCallException(Kind.LEASE_NOT_FOUND, what + ": lease not found", failure);
    }
    Status.Code code = failure instanceof EtcdException etcd
        ? Status.Code.valueOf(etcd.getErrorCode().name()) : Status.fromThrowable(failure).getCode();
    Kind kind = switch (code) {
      case UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED, ABORTED, RESOURCE_EXHAUSTED, INTERNAL, UNKNOWN ->
          Kind.UNREACHABLE;
      case OUT_OF_RANGE -> message.contains("compacted") ? Kind.COMPACTED : Kind.REFUSED;
      default -> Kind.REFUSED;
    };
    String detail = message.startsWith(code.name()) ? message : code + ": " + message;
    return new EtcdCallException(kind, what + ": " + detail, failure);
  }
}
