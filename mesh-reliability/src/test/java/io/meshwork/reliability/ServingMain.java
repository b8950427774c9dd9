package io.meshwork.reliability;

import io.meshwork.MeshResponse;
import io.meshwork.netty.NettyTransport;
import io.meshwork.transport.ServerOptions;
import io.meshwork.transport.TransportServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The instance a {@link ServerProcess} runs in a JVM of its own: a Meshwork server on loopback that
 * answers every request with 200, prints {@code PORT <n>} once it listens, and then reads one
 * command a line from its standard input: {@code ok}, {@code 503} (every answer a 503) or
 * {@code slow} (every answer 200 ms late). It exits when its input ends, so that it never outlives
 * the test JVM that started it.
 */
public final class ServingMain {

  /** The extra latency of {@code slow}: the fault is defined by wall time. */
  static final Duration SLOWNESS = Duration.ofMillis(200);

  private static volatile String mode = "ok";

  private ServingMain() {}

  /** Serves until standard input ends. */
  public static void main(String[] args) throws Exception {
    Executor late = CompletableFuture.delayedExecutor(SLOWNESS.toMillis(), TimeUnit.MILLISECONDS);
    try (NettyTransport transport = NettyTransport.builder().eventLoopThreads(1).shutdownGrace(Duration.ZERO).build()) {
      TransportServer server = transport.bind(ServerOptions.of("users", "127.0.0.1", 0), request -> switch (mode) {
        case "503" -> CompletableFuture.completedFuture(MeshResponse.of(503));
        case "slow" -> CompletableFuture.supplyAsync(() -> MeshResponse.ok("late " + request.path()), late);
        default -> CompletableFuture.completedFuture(MeshResponse.ok("served " + request.path()));
      });
      System.out.println("PORT " + server.port());
      System.out.flush();
      BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = commands.readLine(); line != null; line = commands.readLine()) {
        mode = line.trim();
        System.out.println("MODE " + mode);
        System.out.flush();
      }
    }
    System.exit(0);
  }
}
