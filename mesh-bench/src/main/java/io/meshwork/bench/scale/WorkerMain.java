package io.meshwork.bench.scale;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A worker JVM of the scale benchmark: reads one JSON command per line on standard input
 * ({@code {"command": "...", "args": {...}}}), answers each with one line {@code REPLY <json>} (or
 * {@code REPLY {"error": "..."}}) on standard output, and ends when standard input closes.
 *
 * <pre>WorkerMain ENDPOINTS lazy|whole PROCESSES INSTANCES_PER_SERVICE CALLS_PER_PROCESS SEED PER_CONNECTION THREADS</pre>
 */
public final class WorkerMain {

  private static final ObjectMapper JSON = new ObjectMapper();

  private WorkerMain() {}

  public static void main(String[] args) throws Exception {
    FleetPlan plan = new FleetPlan(Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
        Long.parseLong(args[5]));
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (FleetWorker worker = new FleetWorker(plan, args[0], "whole".equals(args[1]), Integer.parseInt(args[6]),
        Integer.parseInt(args[7]))) {
      out.println("READY");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        Map<String, Object> request = JSON.readValue(line, new TypeReference<>() { });
        Map<String, Object> reply;
        try {
          @SuppressWarnings("unchecked")
          Map<String, Object> commandArgs = (Map<String, Object>) request.getOrDefault("args", Map.of());
          reply = WorkerCommands.run(worker, (String) request.get("command"), commandArgs);
        } catch (Exception e) {
          reply = new LinkedHashMap<>();
          reply.put("error", String.valueOf(e));
        }
        out.println("REPLY " + JSON.writeValueAsString(reply));
      }
    }
    System.exit(0);
  }
}
