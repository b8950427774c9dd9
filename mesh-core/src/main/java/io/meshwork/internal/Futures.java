package io.meshwork.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Small helpers for CompletableFuture plumbing. */
final class Futures {

  private Futures() {}

  /** The real failure inside CompletionException and ExecutionException wrappers. */
  static Throwable unwrap(Throwable failure) {
    Throwable current = failure;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  /** Completes {@code target} as {@code source} completed. */
  static <T> void copy(T value, Throwable failure, CompletableFuture<T> target) {
    if (failure != null) {
      target.completeExceptionally(unwrap(failure));
    } else {
      target.complete(value);
    }
  }
}
