package io.meshwork.bench.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A process the harness started: a backend or client JVM, or HAProxy. Its standard output is read
 * line by line ({@code PROGRESS} lines go to the console, the {@code RESULT} line is kept, other
 * lines are replies), its standard error goes to a log file. Every child is stopped by its PID when
 * the harness stops it, and by a shutdown hook when the harness ends any other way.
 */
final class ChildProcess implements AutoCloseable {

  private static final Set<ChildProcess> LIVE = ConcurrentHashMap.newKeySet();
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (ChildProcess child : LIVE) {
        child.close();
      }
    }, "stop-children"));
  }

  private final String name;
  private final Process process;
  private final Writer stdin;
  private final Path log;
  private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
  private final CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
  private final Deque<String> tail = new ArrayDeque<>();

  private final Consumer<String> other;

  private ChildProcess(String name, Process process, Path log, Consumer<String> progress, Consumer<String> other) {
    this.name = name;
    this.other = other != null ? other : replies::add;
    this.process = process;
    this.log = log;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(() -> read(progress), "read-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code command}; standard error goes to {@code logDir/name.log}. */
  static ChildProcess start(String name, List<String> command, Path logDir, Consumer<String> progress) {
    return start(name, command, logDir, progress, null);
  }

  /** Like {@link #start}, handing each line that is neither progress nor result to {@code other}. */
  static ChildProcess start(String name, List<String> command, Path logDir, Consumer<String> progress,
      Consumer<String> other) {
    try {
      Files.createDirectories(logDir);
      Path log = logDir.resolve(name + ".log");
      Process process = new ProcessBuilder(command)
          .redirectError(ProcessBuilder.Redirect.to(log.toFile()))
          .start();
      ChildProcess child = new ChildProcess(name, process, log, progress, other);
      LIVE.add(child);
      return child;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + name + ": " + command, e);
    }
  }

  long pid() {
    return process.pid();
  }

  String name() {
    return name;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Sends one command line and returns the next reply line, waiting at most {@code timeout}. */
  synchronized String command(String line, Duration timeout) {
    try {
      stdin.write(line + "\n");
      stdin.flush();
      String reply = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (reply == null) {
        throw new IllegalStateException(name + " did not answer '" + line + "' within " + timeout + diagnostics());
      }
      return reply;
    } catch (IOException e) {
      throw new IllegalStateException(name + " is gone" + diagnostics(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The next reply line (such as READY), waiting at most {@code timeout}. */
  String awaitLine(Duration timeout) {
    try {
      String line = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (line == null) {
        throw new IllegalStateException(name + " printed nothing within " + timeout + diagnostics());
      }
      return line;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The parsed {@code RESULT} line, waiting at most {@code timeout}; the child is stopped if it is late. */
  Map<String, Object> awaitResult(Duration timeout) {
    try {
      return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      close();
      throw new IllegalStateException(name + " gave no result within " + timeout + diagnostics(), e);
    }
  }

  /** Stops the process by its PID: SIGTERM, then SIGKILL if it has not exited within 5 s. */
  @Override
  public void close() {
    LIVE.remove(this);
    try {
      stdin.close();
    } catch (IOException e) {
      // it may already be gone
    }
    ProcessHandle handle = process.toHandle();
    if (handle.isAlive()) {
      handle.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          handle.destroyForcibly();
          process.waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        handle.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits for the process to exit on its own; stops it past {@code timeout}. */
  void awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LIVE.remove(this);
  }

  private void read(Consumer<String> progress) {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        remember(line);
        if (line.startsWith("PROGRESS ")) {
          progress.accept(line.substring("PROGRESS ".length()));
        } else if (line.startsWith("RESULT ")) {
          @SuppressWarnings("unchecked")
          Map<String, Object> parsed = JSON.readValue(line.substring("RESULT ".length()), Map.class);
          result.complete(parsed);
        } else {
          other.accept(line);
        }
      }
    } catch (IOException e) {
      // the process ended
    } finally {
      result.completeExceptionally(new IllegalStateException(name + " exited without a result"));
    }
  }

  private void remember(String line) {
    synchronized (tail) { // not the command lock: a command waits on this thread's replies
      tail.addLast(line);
      if (tail.size() > 20) {
        tail.removeFirst();
      }
    }
  }

  private String diagnostics() {
    String errors = "";
    try {
      List<String> lines = Files.readAllLines(log);
      errors = String.join("\n  ", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      // no log yet
    }
    String output;
    synchronized (tail) {
      output = String.join("\n  ", tail);
    }
    return "\n  last output: " + output + "\n  stderr (" + log + "):\n  " + errors;
  }
}
