package io.meshwork.bench.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording for a profile report: the hottest methods by own samples (top frame),
 * by inclusive samples (anywhere on the stack) restricted to a package prefix, and the allocation
 * sites by sampled weight.
 *
 * <pre>JfrTop RECORDING.jfr [PACKAGE_PREFIX] [N]</pre>
 */
public final class JfrTop {

  private JfrTop() {}

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    String prefix = args.length > 1 ? args[1] : "io.meshwork";
    int limit = args.length > 2 ? Integer.parseInt(args[2]) : 25;
    Map<String, Long> self = new HashMap<>();
    Map<String, Long> inclusive = new HashMap<>();
    Map<String, Long> allocations = new HashMap<>();
    long samples = 0;
    long allocated = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
      String type = event.getEventType().getName();
      RecordedStackTrace stack = event.getStackTrace();
      if (stack == null || stack.getFrames().isEmpty()) {
        continue;
      }
      if (type.equals("jdk.ExecutionSample")) {
        samples++;
        List<RecordedFrame> frames = stack.getFrames();
        self.merge(name(frames.get(0)), 1L, Long::sum);
        Set<String> seen = new HashSet<>();
        for (RecordedFrame frame : frames) {
          String name = name(frame);
          if (name.startsWith(prefix) && seen.add(name)) {
            inclusive.merge(name, 1L, Long::sum);
          }
        }
      } else if (type.equals("jdk.ObjectAllocationSample")) {
        long weight = event.getLong("weight");
        allocated += weight;
        String site = firstIn(stack.getFrames(), prefix) + " <- " + event.getClass("objectClass").getName();
        allocations.merge(site, weight, Long::sum);
      }
    }
    System.out.println("execution samples: " + samples);
    print("self (top frame)", self, samples, limit);
    print("inclusive, " + prefix + "*", inclusive, samples, limit);
    print("allocation (sampled bytes), first " + prefix + " frame <- class", allocations, allocated, limit);
  }

  private static String firstIn(List<RecordedFrame> frames, String prefix) {
    for (RecordedFrame frame : frames) {
      if (name(frame).startsWith(prefix)) {
        return name(frame) + ":" + frame.getLineNumber();
      }
    }
    return name(frames.get(0));
  }

  private static String name(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  private static void print(String title, Map<String, Long> counts, long total, int limit) {
    System.out.println();
    System.out.println("== " + title);
    List<Map.Entry<String, Long>> sorted = new ArrayList<>(counts.entrySet());
    sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    for (Map.Entry<String, Long> entry : sorted.subList(0, Math.min(limit, sorted.size()))) {
      System.out.printf("%6.2f%%  %s%n", 100.0 * entry.getValue() / Math.max(1, total), entry.getKey());
    }
  }
}
