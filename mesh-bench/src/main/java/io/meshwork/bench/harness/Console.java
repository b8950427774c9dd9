package io.meshwork.bench.harness;

import java.util.Locale;

/** Progress lines on standard output, each stamped with the time since the run began. */
final class Console {

  private final long start = System.nanoTime();

  synchronized void log(String line) {
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;
    System.out.printf(Locale.ROOT, "[%02d:%02d] %s%n", seconds / 60, seconds % 60, line);
    System.out.flush();
  }

  double elapsedSeconds() {
    return (System.nanoTime() - start) / 1e9;
  }
}
