package io.meshwork.etcd;

import io.grpc.Status;
import io.meshwork.MeshException;
import java.net.ConnectException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request to etcd that failed, with what the registry needs to decide: was etcd unreachable (try
 * again later), or did it refuse (a lost lease, a compacted revision, anything else). Its message is
 * written for a person: "connection refused to 127.0.0.1:2379" rather than gRPC's "io exception".
 * Internal: the public API reports {@link EtcdUnavailableException} or {@link MeshException}.
 */
final class EtcdCallException extends RuntimeException {

  private static final Pattern REFUSED_ADDRESS = Pattern.compile("Connection refused: (?:[^/\\s]*/)?(\\S+)");

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
  private final boolean connectionRefused;

  EtcdCallException(Kind kind, String message, Throwable cause) {
    this(kind, message, cause, false);
  }

  private EtcdCallException(Kind kind, String message, Throwable cause, boolean connectionRefused) {
    super(message, cause);
    this.kind = kind;
    this.connectionRefused = connectionRefused;
  }

  Kind kind() {
    return kind;
  }

  /** Whether etcd simply did not answer, so that a later attempt may succeed. */
  boolean isUnreachable() {
    return kind == Kind.UNREACHABLE;
  }

  /**
   * Whether no member accepted a connection: nothing listens at any endpoint (gRPC only reports it
   * when it has no member to try), a definite answer rather than a slow one.
   */
  boolean isConnectionRefused() {
    return connectionRefused;
  }

  /**
   * This failure of the first read of a registry or config source at {@code endpoints}, as the public
   * API reports it: {@link EtcdUnavailableException} when etcd did not answer, else a
   * {@link MeshException} saying that it refused.
   */
  MeshException atStart(String endpoints) {
    if (isUnreachable()) {
      return new EtcdUnavailableException(null, "etcd unreachable at " + endpoints + ": " + getMessage(), this);
    }
    return new MeshException(null, "etcd at " + endpoints + " refused a read (" + getMessage() + ")", this);
  }

  /** Classifies {@code failure}, a gRPC exception or a timeout, as the registry needs it. */
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
    String refused = refusedAddress(failure);
    if (refused != null) {
      return new EtcdCallException(Kind.UNREACHABLE, what + ": " + refused, failure, true);
    }
    Status status = Status.fromThrowable(failure);
    String description = status.getDescription() == null ? String.valueOf(failure.getMessage())
        : status.getDescription();
    if (description.contains("requested lease not found")) {
      return new EtcdCallException(Kind.LEASE_NOT_FOUND, what + ": lease not found", failure);
    }
    if (description.contains("compacted")) {
      return new EtcdCallException(Kind.COMPACTED, what + ": revision compacted", failure);
    }
    Kind kind = switch (status.getCode()) {
      case UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED, ABORTED, RESOURCE_EXHAUSTED, INTERNAL, UNKNOWN ->
          Kind.UNREACHABLE;
      default -> Kind.REFUSED;
    };
    return new EtcdCallException(kind, what + ": " + status.getCode() + ": " + description, failure);
  }

  /** "connection refused to HOST:PORT" when a refused connection is among the causes, else null. */
  private static String refusedAddress(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      String message = String.valueOf(cause.getMessage());
      Matcher address = REFUSED_ADDRESS.matcher(message);
      if (address.find()) {
        return "connection refused to " + address.group(1);
      }
      if (cause instanceof ConnectException && message.toLowerCase(Locale.ROOT).contains("refused")
          && cause.getCause() == null) {
        return "connection refused";
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return null;
  }
}
