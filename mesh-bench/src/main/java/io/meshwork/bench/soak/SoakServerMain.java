package io.meshwork.bench.soak;

import io.meshwork.Mesh;
import io.meshwork.MeshResponse;
import io.meshwork.MeshServer;
import io.meshwork.netty.NettyTransport;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.security.CertificateAuthority;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One soak server instance, a JVM of its own so the soak can stop it by its PID: a Meshwork server
 * ({@code mesh.serve}) of service {@code backend} answering 1 KiB over STRICT mTLS, with a
 * certificate from the soak's CA that the mesh renews at half its lifetime. Prints {@code READY
 * <port>}; on SIGTERM, or when its standard input closes, closes its mesh, which drains the calls in flight, as a deployed service does.
 *
 * <pre>
 * SoakServerMain --ca-dir DIR --port P (0 for any) --certificate-ttl-seconds S
 * </pre>
 */
public final class SoakServerMain {

  private static final CompletableFuture<MeshResponse> OK = CompletableFuture.completedFuture(
      MeshResponse.builder().status(200).header("content-type", "application/octet-stream")
          .body(new byte[1024]).build());

  private SoakServerMain() {}

  /** Serves until the process is stopped. */
  public static void main(String[] args) throws Exception {
    LeakCounter.install();
    Path caDir = null;
    int port = 0;
    Duration ttl = Duration.ofMinutes(2);
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--ca-dir" -> caDir = Path.of(args[i + 1]);
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--certificate-ttl-seconds" -> ttl = Duration.ofSeconds(Long.parseLong(args[i + 1]));
        default -> throw new IllegalArgumentException("unknown argument: " + args[i]
            + " (expected: --ca-dir DIR, --port P, --certificate-ttl-seconds S)");
      }
    }
    if (caDir == null) {
      throw new IllegalArgumentException("--ca-dir: missing (expected: the directory of the soak's CA)");
    }
    CertificateAuthority authority = CertificateAuthority.load(caDir.resolve(CertificateAuthority.CERTIFICATE_FILE),
        caDir.resolve(CertificateAuthority.PRIVATE_KEY_FILE));
    NettyTransport transport = NettyTransport.builder().eventLoopThreads(1).build();
    Mesh mesh = Mesh.builder().service("backend").registry(new InMemoryServiceRegistry()).transport(transport)
        .certificateAuthority(authority).certificateTtl(ttl).build();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      mesh.close();
      transport.close();
      LeakCounter.flush();
      System.err.println("LEAK REPORTS " + LeakCounter.reports());
    }, "soak-server-stop"));
    MeshServer server = serve(mesh, port);
    System.out.println("READY " + server.port());
    System.out.flush();
    while (System.in.read() >= 0) {
      // nothing to read: standard input only tells that the soak is still there
    }
    System.exit(0); // the soak is gone (its end closes our standard input): never outlive it
  }

  /**
   * Serves on {@code port}; a restarted instance takes its predecessor's port back, which the kernel
   * may hold for a moment after the old process ended, so binding is retried for up to 10 s.
   */
  private static MeshServer serve(Mesh mesh, int port) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try {
        return mesh.serve(port, request -> OK);
      } catch (RuntimeException e) {
        if (port == 0 || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100); // the kernel releases the port on its own time; nothing to wait on
      }
    }
  }
}
