package io.meshwork.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the quick mode asserts: that every client run completed its calls (none failed where
 * nothing was made to fail, none left hanging, at least one made). Never a speed.
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
      passed.add(what + " (not yet available: skipped)");
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
