package io.meshwork.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One instance of the service under load, a Meshwork server in a child JVM ({@link ServingMain}),
 * stopped by its PID: {@link #kill()} sends SIGKILL, as a crash does; {@link #close()} ends it
 * gently (closing its input), then by PID within a bound.
 */
public final class ServerProcess implements AutoCloseable {

  private static final int WARM_UP = 500;
  private static final Duration START_BOUND = Duration.ofSeconds(60);

  private final Process process;
  private final Writer commands;
  private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(64);
  private final int port;

  private ServerProcess(Process process) {
    this.process = process;
    this.commands = process.outputWriter(StandardCharsets.UTF_8);
    Thread reader = new Thread(this::readOutput, "server-process-" + process.pid());
    reader.setDaemon(true);
    reader.start();
    String first = next("PORT ");
    this.port = Integer.parseInt(first.substring("PORT ".length()).trim());
  }

  /**
   * Starts a server in a JVM of its own (the test's class path), waits until it listens and warms it
   * up with {@value #WARM_UP} requests, so that a row starts with instances in their steady state:
   * a cold JVM's first answers can take longer than an attempt may, and the mesh would rightly eject it.
   */
  public static ServerProcess start() {
    ServerProcess server = launch();
    try {
      server.warmUp();
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
    return server;
  }

  private void warmUp() {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create("http://127.0.0.1:" + port + "/warm-up");
    try {
      for (int i = 0; i < WARM_UP; i++) {
        HttpResponse<Void> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != 200) {
          throw new AssertionError("pid " + pid() + " answered its warm-up with " + response.statusCode());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("pid " + pid() + " failed its warm-up", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted warming up pid " + pid());
    }
  }

  private static ServerProcess launch() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = List.of(java.toString(), "-Xmx128m",
        "-cp", System.getProperty("java.class.path"), ServingMain.class.getName());
    try {
      return new ServerProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /** The port it listens on. */
  public int port() {
    return port;
  }

  /** Its process id. */
  public long pid() {
    return process.pid();
  }

  /** Switches what every answer is ({@code ok}, {@code 503}, {@code slow}) and waits until it is so. */
  void mode(String mode) {
    try {
      commands.write(mode + "\n");
      commands.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot command pid " + pid(), e);
    }
    next("MODE " + mode);
  }

  /** SIGKILL by PID, as a crash: no goodbye to any connection; waits until it is gone. */
  void kill() {
    process.toHandle().destroyForcibly();
    awaitExit();
  }

  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    try {
      commands.close(); // its input ends: it closes its server and exits
    } catch (IOException alreadyGone) {
      // then the PID below ends it
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.toHandle().destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.toHandle().destroyForcibly();
      Thread.currentThread().interrupt();
    }
    awaitExit();
  }

  private void awaitExit() {
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new AssertionError("pid " + pid() + " still runs 10 s after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String next(String prefix) {
    try {
      long end = System.nanoTime() + START_BOUND.toNanos();
      while (true) {
        String line = lines.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null) {
          throw new AssertionError("pid " + pid() + " printed no '" + prefix + "' within " + START_BOUND);
        }
        if (line.startsWith(prefix)) {
          return line;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for pid " + pid());
    }
  }

  private void readOutput() {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("PORT ") || line.startsWith("MODE ")) {
          lines.offer(line);
        } else {
          System.out.println("[pid " + process.pid() + "] " + line);
        }
      }
    } catch (IOException ended) {
      // the process is gone
    }
  }
}
