package io.meshwork.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.registry.ServiceInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that dies without deregistering disappears from its peers' discovery by itself, within
 * its lease TTL plus one second: the registry's lease, not the process, is what keeps it listed.
 */
class LeaseExpiryTest {

  private static final int TTL_SECONDS = 2;

  @TempDir
  Path dir;

  private EtcdProcess etcd;
  private EtcdServiceRegistry peer;
  private Process owner;

  @BeforeEach
  void start() {
    etcd = EtcdProcess.startSingle(dir);
    peer = EtcdServiceRegistry.builder().endpoints(etcd.clientUrl()).build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (owner != null && owner.isAlive()) {
      owner.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    peer.close();
    etcd.stop();
  }

  @Test
  void aKilledProcessVanishesFromDiscoveryWithinTheTtlPlusOneSecond() throws Exception {
    owner = startOwner("orders", "127.0.0.1:9100", 9100);
    ServiceInstance expected = ServiceInstance.builder("orders", "127.0.0.1:9100")
        .host("127.0.0.1").port(9100).build();
    Await.until(Duration.ofSeconds(10), () -> peer.discover("orders").equals(List.of(expected)),
        "the other process's instance discovered");

    long killedAt = System.nanoTime();
    owner.destroyForcibly(); // SIGKILL: no shutdown hook, no revoke, no deregister
    assertThat(owner.waitFor(5, TimeUnit.SECONDS)).isTrue();
    Duration bound = Duration.ofSeconds(TTL_SECONDS + 1);
    Await.until(bound, () -> peer.instances("orders").isEmpty(), "killed instance gone");
    Duration vanished = Duration.ofNanos(System.nanoTime() - killedAt);
    System.out.println("MEASURED: instance of a killed process vanished " + vanished.toMillis()
        + " ms after SIGKILL (TTL " + TTL_SECONDS + " s)");
    assertThat(vanished).isLessThanOrEqualTo(bound);
  }

  /** A child JVM that registers {@code service/id} with a short TTL; returns once it says so. */
  private Process startOwner(String service, String id, int port) throws IOException {
    Path out = dir.resolve("owner.out");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        RegisteringProcess.class.getName(), etcd.clientUrl(), service, id, String.valueOf(port),
        String.valueOf(TTL_SECONDS)).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    Await.until(Duration.ofSeconds(20), () -> read(out).contains("REGISTERED") || !process.isAlive(),
        () -> "child JVM did not register: " + read(out));
    assertThat(process.isAlive()).as("child JVM alive; its output: %s", read(out)).isTrue();
    return process;
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }
}
