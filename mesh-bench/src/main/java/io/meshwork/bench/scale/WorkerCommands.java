package io.meshwork.bench.scale;

import java.util.List;
import java.util.Map;

/** The commands a coordinator sends a {@link FleetWorker}, by name: the one place that maps them. */
final class WorkerCommands {

  private WorkerCommands() {}

  /** Runs {@code command} with {@code args} on {@code worker}; its reply. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> run(FleetWorker worker, String command, Map<String, Object> args) throws Exception {
    return switch (command) {
      case "start" -> worker.start((List<Integer>) args.get("processes"));
      case "warm" -> worker.warm();
      case "heap" -> worker.heap();
      case "counts" -> worker.counts((List<Integer>) args.getOrDefault("exclude", List.of()));
      case "track" -> {
        worker.track((String) args.get("service"));
        yield Map.of();
      }
      case "replace" -> worker.replace(((Number) args.get("process")).intValue());
      case "observations" -> worker.observations((String) args.get("service"));
      case "answers" -> worker.answers((String) args.get("service"), ((Number) args.get("times")).intValue());
      default -> throw new IllegalArgumentException("command: '" + command + "' (expected: start, warm, heap,"
          + " counts, track, replace, observations or answers)");
    };
  }
}
