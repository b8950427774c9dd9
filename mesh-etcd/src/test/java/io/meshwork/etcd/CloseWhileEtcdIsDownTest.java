package io.meshwork.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.Mesh;
import io.meshwork.MeshResponse;
import io.meshwork.MeshServer;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.transport.InMemoryTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process shuts down while etcd is down: closing is quick and says in one line what happens to its
 * instances; when etcd comes back while the JVM still runs, the closed registry's lease is revoked at
 * once instead of living on for a TTL that etcd renewed when it restarted.
 */
class CloseWhileEtcdIsDownTest {

  private static final Duration TTL = Duration.ofSeconds(10);

  @TempDir
  Path dir;

  private EtcdProcess etcd;

  @BeforeEach
  void start() {
    etcd = EtcdProcess.startSingle(dir);
  }

  @AfterEach
  void stop() {
    etcd.stop();
  }

  @Test
  void closingTheMeshAndTheRegistryIsQuickAndLogsOneLineEachWithoutAStackTrace() throws Exception {
    EtcdServiceRegistry registry = registry();
    InMemoryTransport transport = new InMemoryTransport();
    Mesh mesh = Mesh.builder().service("billing").registry(registry).transport(transport).build();
    MeshServer server = mesh.serve(8080, request -> CompletableFuture.completedFuture(MeshResponse.ok("ok")));
    Await.until(Duration.ofSeconds(10), () -> registry.instances("billing").contains(server.instance()),
        "own instance registered");
    List<String> meshLines;
    List<String> registryLines;
    Duration meshClose;
    Duration registryClose;
    try (StandardError err = StandardError.capture()) {
      etcd.stop();
      // The registry's own notice of the outage comes first, by itself; what follows is the closing.
      Await.until(Duration.ofSeconds(10), () -> err.lines().stream().anyMatch(line -> line.contains("broke")),
          () -> "outage not noticed: " + err.lines());
      int before = err.lines().size();
      long start = System.nanoTime();
      mesh.close();
      meshClose = Duration.ofNanos(System.nanoTime() - start);
      meshLines = err.lines().subList(before, err.lines().size());
      before = err.lines().size();
      start = System.nanoTime();
      registry.close();
      registryClose = Duration.ofNanos(System.nanoTime() - start);
      registryLines = err.lines().subList(before, err.lines().size());
    }
    transport.close();
    System.out.println("MEASURED: with etcd down, mesh.close() took " + meshClose.toMillis()
        + " ms and registry.close() " + registryClose.toMillis() + " ms");

    assertThat(meshLines).as("mesh.close() log").hasSize(1);
    assertThat(meshLines.get(0)).contains("WARN", "billing", "could not deregister 127.0.0.1:8080",
        "connection refused to 127.0.0.1:" + port()).doesNotContain("expiry");
    assertThat(registryLines).as("registry.close() log").hasSize(1);
    assertThat(registryLines.get(0)).contains("lease", "not revoked", "connection refused to 127.0.0.1:" + port());
    // Far below the request timeout's retries (5 s) and the revoke's (2 s) it waited for before.
    assertThat(meshClose.plus(registryClose)).isLessThan(Duration.ofMillis(2500));
  }

  @Test
  void aRegistryClosedWhileEtcdWasDownRevokesItsLeaseWhenEtcdIsBack() throws Exception {
    EtcdServiceRegistry owner = registry();
    ServiceInstance instance = ServiceInstance.builder("billing", "10.0.0.1:8080").host("10.0.0.1").port(8080)
        .build();
    owner.register(instance).get(10, TimeUnit.SECONDS);
    etcd.stop();
    owner.close(); // cannot revoke now: etcd is down

    etcd.start();
    etcd.awaitHealthy(Duration.ofSeconds(10));
    long restartedAt = System.nanoTime();
    // etcd renewed every lease for a full TTL when it restarted; the instance must not wait for that.
    Await.until(TTL.minusSeconds(3), () -> !keys().contains("billing/10.0.0.1:8080"),
        () -> "instance of the closed registry still in etcd: " + keys());
    System.out.println("MEASURED: instance of a registry closed during the outage gone "
        + Duration.ofNanos(System.nanoTime() - restartedAt).toMillis() + " ms after etcd restarted (TTL "
        + TTL.toSeconds() + " s)");
  }

  @Test
  void aLeaseGivenUpDuringALongOutageIsRevokedToo() throws Exception {
    EtcdServiceRegistry owner = registry();
    ServiceInstance instance = ServiceInstance.builder("billing", "10.0.0.2:8080").host("10.0.0.2").port(8080)
        .build();
    owner.register(instance).get(10, TimeUnit.SECONDS);
    etcd.stop();
    // Longer than the TTL: the registry gives the lease up, though etcd will renew it when it restarts.
    Await.until(TTL.multipliedBy(3), () -> owner.leaseId() == 0, "lease given up during the outage");
    owner.close();

    etcd.start();
    etcd.awaitHealthy(Duration.ofSeconds(10));
    Await.until(TTL.minusSeconds(3), () -> !keys().contains("billing/10.0.0.2:8080"),
        () -> "instance on the given-up lease still in etcd: " + keys());
  }

  private EtcdServiceRegistry registry() {
    return EtcdServiceRegistry.builder().endpoints(etcd.clientUrl()).leaseTtl(TTL).build();
  }

  private int port() {
    return java.net.URI.create(etcd.clientUrl()).getPort();
  }

  private String keys() {
    return Etcdctl.run(etcd.clientUrl(), "get", "--prefix", "--keys-only", "/meshwork/services/");
  }
}
