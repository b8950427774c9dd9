package io.meshwork.etcd;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Waits for one attempt of an etcd request on a registry thread, never longer than the attempt
 * timeout. The gRPC deadline already bounds each call; this bound also covers jetcd's own retries.
 */
final class EtcdCalls {

  private final Duration timeout;

  EtcdCalls(Duration timeout) {
    this.timeout = timeout;
  }

  /**
   * The result of the call {@code request} starts, or {@link EtcdCallException} saying why there is
   * none; a call that fails before it returns its future (a closed client) is classified alike.
   */
  <T> T await(String what, Supplier<CompletableFuture<T>> request) {
    CompletableFuture<T> call;
    try {
      call = request.get();
    } catch (RuntimeException e) {
      throw EtcdCallException.classify(what, e);
    }
    try {
      return call.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      call.cancel(true);
      throw new EtcdCallException(EtcdCallException.Kind.UNREACHABLE, what + ": interrupted", e);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw EtcdCallException.classify(what, e);
    } catch (ExecutionException e) {
      throw EtcdCallException.classify(what, e.getCause());
    }
  }

  /** The bound on one attempt. */
  Duration timeout() {
    return timeout;
  }
}
