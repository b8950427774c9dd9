package io.meshwork;

import io.meshwork.time.FakeTicker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Drives a {@link FakeTicker} until a call completes, so tests never wait for real time. */
final class FakeTime {

  private FakeTime() {}

  /** Advances {@code ticker} in 1 ms steps until {@code call} is done, for at most {@code limit}. */
  static <T> CompletableFuture<T> runUntilDone(FakeTicker ticker, CompletableFuture<T> call, Duration limit) {
    long steps = limit.toMillis();
    for (long i = 0; i < steps && !call.isDone(); i++) {
      ticker.advance(Duration.ofMillis(1));
    }
    if (!call.isDone()) {
      throw new AssertionError("call not done after " + limit + " of fake time");
    }
    return call;
  }
}
