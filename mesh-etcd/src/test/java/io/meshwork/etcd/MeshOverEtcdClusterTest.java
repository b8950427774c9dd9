package io.meshwork.etcd;

import static io.meshwork.etcd.MeshPair.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.MeshResponse;
import io.meshwork.MeshServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Calls between meshes never notice etcd's leader dying: they are served from the registries' caches. */
class MeshOverEtcdClusterTest {

  @TempDir
  Path dir;

  @Test
  void killingTheLeaderWhileCallsGoOnFailsNoCall() throws Exception {
    try (EtcdCluster cluster = EtcdCluster.start(dir, 3);
         MeshPair pair = new MeshPair(cluster.endpoints().split(",")).awaitDiscovered()) {
      AtomicInteger succeeded = new AtomicInteger();
      List<String> failures = new CopyOnWriteArrayList<>();
      Thread caller = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted() && failures.size() < 10) {
          try {
            call(pair.orders, "users", "/users/" + succeeded.get());
            succeeded.incrementAndGet();
          } catch (InterruptedException e) {
            return;
          } catch (Exception | AssertionError e) {
            failures.add(e.toString());
          }
        }
      }, "caller");
      caller.start();
      try {
        Await.until(Duration.ofSeconds(10), () -> succeeded.get() > 100, "calls going");
        EtcdProcess leader = cluster.leader();
        leader.kill();
        long killedAt = System.nanoTime();
        cluster.awaitLeader(Duration.ofSeconds(10));

        // A new instance registers through the survivors, and the caller's mesh starts using it.
        MeshServer second = pair.users.serve(0, request -> CompletableFuture.completedFuture(
            MeshResponse.ok("user " + request.path())));
        System.out.println("MEASURED: new instance registered " + Duration.ofNanos(System.nanoTime()
            - killedAt).toMillis() + " ms after the leader was killed");
        Await.until(Duration.ofSeconds(10), () -> pair.ordersRegistry.discover("users")
            .contains(second.instance()), "second instance discovered by the caller");
        int before = succeeded.get();
        Await.until(Duration.ofSeconds(10), () -> succeeded.get() > before + 200, "calls after the failover");
        System.out.println("MEASURED: " + succeeded.get() + " calls during a leader kill, "
            + failures.size() + " failed");
      } finally {
        caller.interrupt();
        caller.join(10_000);
      }
      assertThat(failures).isEmpty();
    }
  }
}
