package io.meshwork.bench.scale;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A worker JVM started by the coordinator, on its class path; stopped by its own PID when closed.
 * Commands and replies are lines on its standard input and output ({@link WorkerMain}); its standard
 * error goes to a log file.
 */
final class ChildWorker implements Worker {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Workers still running, stopped by a shutdown hook should the benchmark end abruptly. */
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
        "stop-scale-workers"));
  }

  private final Process process;
  private final Writer in;
  private final BufferedReader out;
  private final String name;

  private ChildWorker(String name, Process process) {
    this.name = name;
    this.process = process;
    this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /**
   * Starts a worker JVM with {@code heap} of maximum heap, at a lower CPU priority than etcd (in a real
   * fleet etcd has machines of its own; here the simulated processes share its two cores); returns
   * once it says READY.
   */
  static ChildWorker start(String name, String heap, List<String> args, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/nice"))) {
      command.addAll(List.of("/usr/bin/nice", "-n", "10"));
    }
    command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + heap, "-XX:+UseG1GC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName()));
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    RUNNING.add(process);
    ChildWorker worker = new ChildWorker(name, process);
    String first = worker.out.readLine();
    if (!"READY".equals(first)) {
      worker.close();
      throw new IOException(name + " did not start (" + first + "); see " + log);
    }
    return worker;
  }

  @Override
  public synchronized Map<String, Object> call(String command, Map<String, Object> args) throws IOException {
    in.write(JSON.writeValueAsString(Map.of("command", command, "args", args)) + "\n");
    in.flush();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.startsWith("REPLY ")) {
        Map<String, Object> reply = JSON.readValue(line.substring(6), new TypeReference<>() { });
        if (reply.containsKey("error")) {
          throw new IOException(name + ": " + command + " failed: " + reply.get("error"));
        }
        return reply;
      }
    }
    throw new IOException(name + " ended while running " + command);
  }

  @Override
  public void close() {
    try {
      in.close(); // the worker closes its processes and exits
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      RUNNING.remove(process);
    }
  }
}
