package io.meshwork.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every run asserts: that every client ran and completed its calls (none failed where nothing
 * was made to fail, none left hanging, at least one made), and that calls started from one thread
 * kept every event loop busy. Never a speed. A client that could not run at all fails the run.
 */
final class Checks {

  private final List<String> passed = new ArrayList<>();
  private final List<String> failed = new ArrayList<>();

  /** Checks one client result; {@code errorsExpected} for the failure scenarios. */
  void completed(String what, Map<String, Object> result, boolean errorsExpected, String... phases) {
    if (result.containsKey("failure")) {
      failed.add(what + ": " + result.get("failure"));
      return;
    }
    if (result.containsKey("unavailable")) {
      failed.add(what + ": could not run: " + result.get("unavailable"));
      return;
    }
    for (String phase : phases) {
      @SuppressWarnings("unchecked")
      Map<String, Object> measured = (Map<String, Object>) result.get(phase);
      if (measured == null) {
        failed.add(what + ": no " + phase + " phase in the result");
        return;
      }
      long requests = number(measured, "requests");
      long errors = number(measured, "errors");
      long incomplete = number(measured, "incomplete");
      if (requests == 0) {
        failed.add(what + " " + phase + ": no call completed");
        return;
      }
      if (incomplete != 0) {
        failed.add(what + " " + phase + ": " + incomplete + " calls never completed");
        return;
      }
      if (!errorsExpected && errors != 0) {
        failed.add(what + " " + phase + ": " + errors + " of " + requests + " calls failed");
        return;
      }
    }
    passed.add(what);
  }

  /**
   * Checks that in {@code phase} the least busy event loop of the client did at least
   * {@code minBalance} of the busiest one's work (CPU time): the calls were spread over the loops.
   */
  void loopsBusy(String what, Map<String, Object> result, String phase, double minBalance) {
    @SuppressWarnings("unchecked")
    Map<String, Object> measured = (Map<String, Object>) result.get(phase);
    if (measured == null) {
      return; // the run itself failed, and completed() said so
    }
    double balance = decimal(measured, "loopBalance");
    if (Double.isNaN(balance) || balance < minBalance) {
      failed.add(String.format(java.util.Locale.ROOT, "%s: the least busy event loop did %.0f %% of the busiest"
          + " one's work (expected: >= %.0f %%): %s", what, 100 * balance, 100 * minBalance,
          measured.get("loopCpuNanos")));
      return;
    }
    passed.add(what);
  }

  /** Checks a connection set-up result: every call on a new connection answered 200. */
  void setup(String what, Map<String, Object> result) {
    @SuppressWarnings("unchecked")
    Map<String, Object> setup = (Map<String, Object>) result.get("setup");
    if (setup == null) {
      if (!result.containsKey("failure")) {
        failed.add(what + ": no set-up phase in the result");
      }
      return;
    }
    if (number(setup, "calls") == 0 || number(setup, "errors") != 0) {
      failed.add(what + ": " + number(setup, "errors") + " of " + number(setup, "calls") + " calls failed");
      return;
    }
    passed.add(what);
  }

  /** Checks a heap result: every warm-up call answered 200. */
  void heap(String what, Map<String, Object> result) {
    if (result.containsKey("failure")) {
      failed.add(what + ": " + result.get("failure"));
      return;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> heap = (Map<String, Object>) result.get("heap");
    if (heap == null || number(heap, "calls") == 0 || number(heap, "ok") != number(heap, "calls")) {
      failed.add(what + ": not every warm-up call succeeded: " + heap);
      return;
    }
    passed.add(what);
  }

  /** Records a success found elsewhere. */
  void passed(String what) {
    passed.add(what);
  }

  /** Records a failure found elsewhere. */
  void fail(String what) {
    failed.add(what);
  }

  List<String> failures() {
    return failed;
  }

  int passedCount() {
    return passed.size();
  }

  static long number(Map<String, Object> map, String key) {
    Object value = map.get(key);
    return value instanceof Number n ? n.longValue() : 0;
  }

  static double decimal(Map<String, Object> map, String key) {
    Object value = map.get(key);
    return value instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
