package io.meshwork.netty.testing;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Turns leak reports into the failure of a class or a run, naming the classes to blame. */
final class LeakReports {

  private LeakReports() {}

  /** Throws when {@code reports} is not empty; {@code when} says which check found them. */
  static void failIfAny(List<String> reports, String when) {
    if (reports.isEmpty()) {
      return;
    }
    Map<String, Integer> byClass = new TreeMap<>();
    for (String report : reports) {
      byClass.merge(LeakRecorder.blamed(report), 1, Integer::sum);
    }
    throw new AssertionError("Netty reported " + reports.size() + " leak(s) " + when
        + "; buffers allocated while these classes ran: " + byClass + "\n\n" + String.join("\n\n", reports));
  }
}
