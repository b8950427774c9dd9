package io.meshwork.etcd;

import io.meshwork.MeshClosedException;
import io.meshwork.MeshException;
import java.util.concurrent.CompletableFuture;

/**
 * One register or deregister on its way to etcd: the caller's future, how long it may keep retrying,
 * and the exceptions it ends with. The future is completed once, by whoever comes first: the attempt
 * that succeeds or gives up, the overall timer, or the registry's close.
 */
final class PendingWrite {

  private final String service;
  private final String what;
  private final String note;
  private final String endpoints;
  private final long retryUntilNanos;
  private final Backoff backoff;
  private final CompletableFuture<Void> result = new CompletableFuture<>();

  /** {@code note} ends the message of a failure, such as "; it is retried in the background". */
  PendingWrite(String service, String what, String note, String endpoints, long retryUntilNanos,
      Backoff backoff) {
    this.service = service;
    this.what = what;
    this.note = note;
    this.endpoints = endpoints;
    this.retryUntilNanos = retryUntilNanos;
    this.backoff = backoff;
  }

  /** The caller's future. */
  CompletableFuture<Void> result() {
    return result;
  }

  /** Whether the caller has its answer (so a late attempt must not act on its behalf). */
  boolean isDone() {
    return result.isDone();
  }

  /** Completes the caller's future; false when it already had an answer. */
  boolean succeed() {
    return result.complete(null);
  }

  /** Whether another attempt may still be made after {@code failure}, and its delay if so (else -1). */
  long retryDelayMillis(EtcdCallException failure) {
    boolean retryable = failure.isUnreachable() || failure.kind() == EtcdCallException.Kind.LEASE_NOT_FOUND;
    return retryable && System.nanoTime() < retryUntilNanos ? backoff.nextMillis() : -1;
  }

  /** Fails the caller's future with the exception {@code failure} calls for. */
  void fail(EtcdCallException failure) {
    MeshException exception = failure.isUnreachable()
        ? new EtcdUnavailableException(service, "etcd unreachable at " + endpoints + ": " + what
            + " failed (" + failure.getMessage() + ")" + note, failure)
        : new MeshException(service, "etcd at " + endpoints + " refused to " + what + " ("
            + failure.getMessage() + ")" + note, failure);
    result.completeExceptionally(exception);
  }

  /** Fails the caller's future: no answer within {@code millis} ms. */
  void timeOut(long millis) {
    result.completeExceptionally(new EtcdUnavailableException(service, "etcd unreachable at "
        + endpoints + ": " + what + " got no answer within " + millis + " ms" + note, null));
  }

  /** Fails the caller's future: the registry is closed. */
  void closed() {
    result.completeExceptionally(new MeshClosedException(service, "the etcd registry is closed: "
        + what + " was not done"));
  }
}
