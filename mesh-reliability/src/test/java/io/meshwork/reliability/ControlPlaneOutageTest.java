package io.meshwork.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.Mesh;
import io.meshwork.MeshBuilder;
import io.meshwork.MeshResponse;
import io.meshwork.netty.NettyTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane crashes under a fleet that joined it: three instances of {@code users} and the
 * caller, each a mesh of its own joined with a bootstrap token (certificates by CSR, mTLS between them,
 * discovery through the control plane), and the control plane a child JVM of its command line. It is
 * killed (SIGKILL) while the catalogue's load runs and started again {@value #OUTAGE_SECONDS} s later
 * with its data directory (it is away until it listens again, which takes its JVM seconds more). The
 * certificates live one minute, the shortest the control plane signs, and the kill is timed so that
 * the oldest certificate's renewal comes due in the outage (the meshes joined one after the other and
 * renew about together): renewals fail, and must be retried before the certificates run out. Once
 * the control plane is back, the fleet must use it again: a fourth instance started then is
 * discovered by the caller and gets calls, and every mesh renews its certificate.
 */
class ControlPlaneOutageTest {

  private static final long OUTAGE_SECONDS = 20;
  private static final Duration OUTAGE = Duration.ofSeconds(OUTAGE_SECONDS);
  /** The shortest lifetime the control plane signs; renewed at 27 to 33 s left (half, jittered by 10%). */
  private static final Duration TTL = Duration.ofMinutes(1);
  /**
   * The kill waits until the oldest certificate has this long left (and every other more): its renewal
   * (due at 33 to 27 s left) comes 13 to 19 s into the outage, and the control plane has at least 44 s to
   * be back before any certificate expires.
   */
  private static final Duration KILL_AT = Duration.ofSeconds(46);
  private static final Duration BOUND = Duration.ofSeconds(90);

  @TempDir
  Path directory;

  private ControlPlaneProcess controlPlane;
  private NettyTransport transport;
  private final List<Mesh> meshes = new ArrayList<>();
  private final List<AtomicLong> served = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    controlPlane = ControlPlaneProcess.start(directory);
    transport = NettyTransport.builder().eventLoopThreads(2).shutdownGrace(Duration.ofSeconds(1)).build();
  }

  @AfterEach
  void stop() {
    // Meshes first: each deregisters its instance from the control plane as it closes.
    for (int i = meshes.size() - 1; i >= 0; i--) {
      meshes.get(i).close();
    }
    transport.close();
    controlPlane.close();
  }

  @Test
  void controlPlaneKilledAndRestarted() throws Exception {
    String users = controlPlane.bootstrapToken("users");
    for (int i = 0; i < 3; i++) {
      serveUsers(users);
    }
    Mesh caller = join(Mesh.builder().service("catalogue").policy("users", Catalogue.policy()),
        controlPlane.bootstrapToken("catalogue"));
    awaitDiscovered(caller, 3);
    try (CertificateWatch certificates = new CertificateWatch()) {
      certificates.add("catalogue", caller);
      for (int i = 0; i < 3; i++) {
        certificates.add("users-" + i, meshes.get(i));
      }
      Outcome outcome;
      try (Load load = Load.start(caller, "users", RowRun.WARM)) {
        certificates.awaitLeastSecondsLeft(KILL_AT, BOUND);
        load.faultStarts();
        Instant killed = Instant.now();
        controlPlane.kill();
        load.runFor(OUTAGE);
        controlPlane.start();
        load.faultEnds();
        System.out.println("control plane away for " + Duration.between(killed, Instant.now()).toMillis()
            + " ms (restarted " + OUTAGE_SECONDS + " s after the kill, then its start-up)");

        int fourth = serveUsers(users);
        certificates.add("users-3", meshes.get(meshes.size() - 1));
        awaitServed(fourth, 20);
        // Every certificate issued before the kill expires by killed + TTL (+1 s of rounding).
        certificates.awaitExpiringAfter(List.of("catalogue", "users-0", "users-1", "users-2"),
            killed.plus(TTL).plusSeconds(1), BOUND);
        load.awaitCalls(RowRun.AFTER);
        outcome = load.stop(new Row("19", "control plane killed (SIGKILL), restarted " + OUTAGE_SECONDS + " s later"
            + " with its state; three instances and the caller joined to it (mTLS, CSR certificates of "
            + TTL.toSeconds() + " s, a renewal due in the outage)", 1.0));
      }
      Catalogue.record(outcome);
      assertThat(certificates.expired()).as("meshes whose certificate ran out (least seconds left); expiries now: "
          + certificates.expiries()).isEmpty();
    }
  }

  /** A mesh of {@code users} that serves one instance, counting what it serves; returns its index. */
  private int serveUsers(String token) {
    Mesh mesh = join(Mesh.builder().service("users"), token);
    AtomicLong count = new AtomicLong();
    served.add(count);
    mesh.serve(0, request -> {
      count.incrementAndGet();
      return CompletableFuture.completedFuture(MeshResponse.ok("user " + request.path()));
    });
    return served.size() - 1;
  }

  private Mesh join(MeshBuilder builder, String token) {
    Mesh mesh = builder.transport(transport).controlPlane(controlPlane.uri(), token).certificateTtl(TTL)
        .shutdownGrace(Duration.ofSeconds(1)).build();
    meshes.add(mesh);
    return mesh;
  }

  /** Waits until the caller has heard from the control plane of {@code count} instances of users. */
  private static void awaitDiscovered(Mesh caller, int count) throws Exception {
    CountDownLatch heard = new CountDownLatch(1);
    try (var watch = caller.registry().watch("users", instances -> {
      if (instances.size() >= count) {
        heard.countDown();
      }
    })) {
      assertThat(heard.await(BOUND.toSeconds(), TimeUnit.SECONDS)).as("the caller hears of %d instances of users",
          count).isTrue();
    }
  }

  /** Waits until the instance at {@code index} has served {@code calls} calls. */
  private void awaitServed(int index, long calls) {
    AtomicLong count = served.get(index);
    long end = System.nanoTime() + BOUND.toNanos();
    while (count.get() < calls) {
      if (System.nanoTime() - end > 0) {
        throw new AssertionError("users-" + index + ", started after the restart, served " + count.get()
            + " calls within " + BOUND + ", expected " + calls);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }
}
