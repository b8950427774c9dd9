package io.meshwork.netty.attacks;

import io.meshwork.Mesh;
import io.meshwork.MeshResponse;
import io.meshwork.MeshServer;
import io.meshwork.netty.NettyTransport;
import io.meshwork.netty.testing.Bystander;
import io.meshwork.policy.ServerLimits;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.security.CertificateAuthority;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * {@code mesh.serve} on one event loop with a well-behaved caller beside it: the server an attack
 * test aims at, and the bystander whose calls measure the harm. The server answers {@code /big} with
 * a 1 MiB body and anything else with a short one; its head timeout is 500 ms, its idle timeout 2 s.
 */
final class ServeUnderAttack implements AutoCloseable {

  static final Duration HEAD_TIMEOUT = Duration.ofMillis(500);
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);
  static final int MAX_HEADER_BYTES = 8192;
  private static final Duration BOUND = Duration.ofSeconds(60);
  /** Where each attack's line goes, beside surefire's reports. */
  private static final Path REPORT = Path.of("target", "attacks-on-serve.txt");

  static {
    try {
      Files.deleteIfExists(REPORT); // one run's figures
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final NettyTransport serverTransport;
  private final NettyTransport callerTransport;
  private final Mesh server;
  private final Mesh caller;
  private final MeshServer served;

  private ServeUnderAttack(CertificateAuthority authority) {
    InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
    serverTransport = NettyTransport.builder().eventLoopThreads(1).serverIdleTimeout(IDLE_TIMEOUT)
        .shutdownGrace(Duration.ofSeconds(1)).build();
    callerTransport = NettyTransport.builder().eventLoopThreads(1).shutdownGrace(Duration.ofSeconds(1)).build();
    var serverBuilder = Mesh.builder().service("web").registry(registry).transport(serverTransport)
        .serverLimits(ServerLimits.builder().maxHeaderBytes(MAX_HEADER_BYTES).requestHeadTimeout(HEAD_TIMEOUT)
            .build())
        .shutdownGrace(Duration.ofSeconds(1));
    var callerBuilder = Mesh.builder().service("bystander").registry(registry).transport(callerTransport);
    if (authority != null) {
      serverBuilder.certificateAuthority(authority);
      callerBuilder.certificateAuthority(authority);
    }
    server = serverBuilder.build();
    caller = callerBuilder.build();
    byte[] big = "b".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
    served = server.serve(0, request -> CompletableFuture.completedFuture(request.path().equals("/big")
        ? MeshResponse.builder().status(200).body(big).build() : MeshResponse.ok("hello")));
  }

  /** A plaintext server (HTTP/1.1 and h2c on one port). */
  static ServeUnderAttack plaintext() {
    return new ServeUnderAttack(null);
  }

  /** A mutual-TLS server, its certificates and the caller's from {@code authority}. */
  static ServeUnderAttack mutualTls(CertificateAuthority authority) {
    return new ServeUnderAttack(authority);
  }

  int port() {
    return served.port();
  }

  /**
   * Repeats {@code attack} (at least {@code minRounds} times, and until the well-behaved client has
   * made 10 calls meanwhile), then returns what that client saw, reported under {@code name}. Every
   * round checks the server's own answer to the attack.
   */
  Bystander.Report attack(String name, int minRounds, Attack attack) throws Exception {
    try (Bystander bystander = Bystander.start(caller, "web")) {
      bystander.awaitMoreSuccesses(3, BOUND);
      int target = bystander.succeeded() + 10;
      long end = System.nanoTime() + BOUND.toNanos();
      int rounds = 0;
      while (rounds < minRounds || bystander.succeeded() < target) {
        if (System.nanoTime() > end) {
          throw new AssertionError(name + ": the well-behaved client made " + (bystander.succeeded() - target + 10)
              + " of 10 calls during " + rounds + " rounds of the attack within " + BOUND);
        }
        attack.run();
        rounds++;
      }
      Bystander.Report report = bystander.stop();
      report(name + " (x" + rounds + ")", report);
      return report;
    }
  }

  /** One round of an attack, which asserts how the server answered it. */
  @FunctionalInterface
  interface Attack {
    void run() throws Exception;
  }

  /** Appends the bystander's figures during {@code attack} to the report file and prints them. */
  static void report(String attack, Bystander.Report report) throws IOException {
    String line = report.line(attack);
    System.out.println(line);
    Files.writeString(REPORT, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  @Override
  public void close() {
    caller.close();
    server.close();
    callerTransport.close();
    serverTransport.close();
  }
}
