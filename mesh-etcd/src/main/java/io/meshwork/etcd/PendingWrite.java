package io.meshwork.etcd;

import io.meshwork.MeshClosedException;
import io.meshwork.MeshException;
import java.util.concurrent.CompletableFuture;

/**
 * One register or deregister on its way to etcd: the caller's future, how long it may keep retrying,
 * and the exceptions it ends with. The future is completed once, by whoever comes first: the attempt
 * that succeeds or gives up, the overall timer, or the registry's close. Once etcd has accepted the
 * write it is committed: the timer can no longer fail it, and it succeeds as soon as this registry's
 * own cache shows it.
 */
final class PendingWrite {

  private final String service;
  private final String what;
  private final String note;
  private final String endpoints;
  private final long deadlineNanos;
  private final long attemptNanos;
  private final Backoff backoff;
  private final boolean retryRefused;
  private final CompletableFuture<Void> result = new CompletableFuture<>();
  private boolean committed; // guarded by this

  /**
   * {@code note} ends the message of a failure, such as "; it is retried in the background";
   * {@code retryRefused} whether to go on trying when no etcd member accepts a connection.
   */
  PendingWrite(String service, String what, String note, String endpoints, long deadlineNanos,
      long attemptNanos, Backoff backoff, boolean retryRefused) {
    this.service = service;
    this.what = what;
    this.note = note;
    this.endpoints = endpoints;
    this.deadlineNanos = deadlineNanos;
    this.attemptNanos = attemptNanos;
    this.backoff = backoff;
    this.retryRefused = retryRefused;
  }

  /** The caller's future. */
  CompletableFuture<Void> result() {
    return result;
  }

  /** Whether the caller has its answer (so a late attempt must not act on its behalf). */
  boolean isDone() {
    return result.isDone();
  }

  /**
   * Marks the write as accepted by etcd; false when the caller already had an answer (it timed out),
   * in which case the write must be undone.
   */
  synchronized boolean commit() {
    if (result.isDone()) {
      return false;
    }
    committed = true;
    return true;
  }

  /** Completes the caller's future with success. */
  void succeed() {
    result.complete(null);
  }

  /**
   * The delay before another attempt after {@code failure}, or -1 when there is none: etcd refused,
   * no member accepted a connection and this write is not to be retried then, or an attempt started
   * after the delay could not finish before the caller's deadline.
   */
  long retryDelayMillis(EtcdCallException failure) {
    boolean retryable = failure.isUnreachable() && (retryRefused || !failure.isConnectionRefused())
        || failure.kind() == EtcdCallException.Kind.LEASE_NOT_FOUND;
    long delay = backoff.nextMillis();
    boolean fits = System.nanoTime() + delay * 1_000_000 + attemptNanos <= deadlineNanos;
    return retryable && fits ? delay : -1;
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

  /** Fails the caller's future, unless committed: no answer within {@code millis} ms. */
  synchronized void timeOut(long millis) {
    if (committed) {
      return;
    }
    result.completeExceptionally(new EtcdUnavailableException(service, "etcd unreachable at "
        + endpoints + ": " + what + " got no answer within " + millis + " ms" + note, null));
  }

  /** Fails the caller's future, unless committed (it was done): the registry is closed. */
  synchronized void closed() {
    if (committed) {
      result.complete(null);
      return;
    }
    result.completeExceptionally(new MeshClosedException(service, "the etcd registry is closed: "
        + what + " was not done"));
  }
}
