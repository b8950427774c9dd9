package io.meshwork.etcd;

import static io.meshwork.etcd.MeshPair.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.health.DestinationHealth;
import io.meshwork.health.InstanceHealth;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole meshes over one real etcd and the Netty transport: two services in separate meshes with
 * separate registries find and call each other; an instance nobody keeps alive stops receiving
 * traffic; calls go on from the cache while etcd is down.
 */
class MeshOverEtcdTest {

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
  void twoMeshesWithSeparateRegistriesSeeAndCallEachOther() throws Exception {
    try (MeshPair pair = new MeshPair(etcd.clientUrl()).awaitDiscovered()) {
      assertThat(call(pair.orders, "users", "/users/42")).isEqualTo("user /users/42");
      assertThat(call(pair.users, "orders", "/orders/7")).isEqualTo("order /orders/7");
      assertThat(pair.ordersRegistry.discover("users")).containsExactly(pair.usersServer.instance());
    }
  }

  @Test
  void peersStopRoutingToAnInstanceWhoseLeaseIsNotKeptAlive() throws Exception {
    try (MeshPair pair = new MeshPair(etcd.clientUrl()).awaitDiscovered()) {
      // A "users" instance of a process that died: its 2 s lease is kept alive by nobody.
      String lease = Etcdctl.run(etcd.clientUrl(), "lease", "grant", "2").split(" ")[1];
      Etcdctl.run(etcd.clientUrl(), "put", "--lease=" + lease, "/meshwork/services/default/users/crashed",
          "{\"host\":\"127.0.0.1\",\"port\":" + FreePorts.next() + "}");
      long registeredAt = System.nanoTime();
      Await.until(Duration.ofSeconds(5), () -> pair.ordersRegistry.instances("users").size() == 2,
          "crashed instance seen first");

      // Calls keep succeeding (retries go to the live instance) until it is gone from the peer's view.
      int calls = 0;
      do {
        assertThat(call(pair.orders, "users", "/users/" + calls)).isEqualTo("user /users/" + calls);
        calls++;
        assertThat(Duration.ofNanos(System.nanoTime() - registeredAt)).isLessThan(Duration.ofSeconds(3));
      } while (destination(pair).instances().size() == 2);
      System.out.println("MEASURED: peers stopped routing to the dead instance "
          + Duration.ofNanos(System.nanoTime() - registeredAt).toMillis() + " ms after its 2 s lease began;"
          + " " + calls + " calls, all successful");
      assertThat(destination(pair).instances()).extracting(InstanceHealth::instance)
          .containsExactly(pair.usersServer.instance());
    }
  }

  @Test
  void callsKeepSucceedingFromTheCacheWhileEtcdIsDown() throws Exception {
    try (MeshPair pair = new MeshPair(etcd.clientUrl()).awaitDiscovered()) {
      assertThat(call(pair.orders, "users", "/warm")).isEqualTo("user /warm");
      etcd.stop();
      for (int i = 0; i < 50; i++) {
        assertThat(call(pair.orders, "users", "/users/" + i)).isEqualTo("user /users/" + i);
        assertThat(call(pair.users, "orders", "/orders/" + i)).isEqualTo("order /orders/" + i);
      }
      assertThat(pair.ordersRegistry.discover("users")).containsExactly(pair.usersServer.instance());
    }
  }

  private static DestinationHealth destination(MeshPair pair) {
    return pair.orders.healthReport().destination("users");
  }
}
