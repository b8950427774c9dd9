package io.meshwork.etcd;

import io.meshwork.registry.ServiceInstance;
import io.meshwork.reliability.Catalogue;
import io.meshwork.reliability.Row;
import io.meshwork.reliability.RowRun;
import io.meshwork.reliability.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rows where etcd breaks under a mesh that discovers three healthy instances through it: a real
 * three-member cluster of child processes, the instances registered by a registry of their own (as
 * the instances' processes would), and the calling mesh's registry watching them. In this package
 * for mesh-etcd's cluster fixtures.
 */
class EtcdFaultsTest {

  /** The outage length; the fault is defined by wall time. */
  private static final Duration OUTAGE = Duration.ofSeconds(30);
  private static final Duration BOUND = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private EtcdCluster cluster;
  private final List<ServerProcess> servers = new ArrayList<>();
  private EtcdServiceRegistry instances;
  private EtcdServiceRegistry calling;

  @BeforeEach
  void start() throws Exception {
    cluster = EtcdCluster.start(dir, 3);
    instances = MeshPair.registry(cluster.endpoints().split(","));
    for (int i = 0; i < 3; i++) {
      ServerProcess server = ServerProcess.start();
      servers.add(server);
      instances.register(ServiceInstance.builder("users", "users-" + i).host("127.0.0.1").port(server.port())
          .build()).get(10, TimeUnit.SECONDS);
    }
    calling = MeshPair.registry(cluster.endpoints().split(","));
    Await.until(BOUND, () -> calling.discover("users").size() == 3, "the three instances discovered");
  }

  @AfterEach
  void stop() {
    calling.close();
    instances.close();
    servers.forEach(ServerProcess::close);
    cluster.close();
  }

  @Test
  void leaderKilled() throws Exception {
    Catalogue.record(RowRun.run(new Row("13", "etcd's leader killed (SIGKILL), two of three members left", 1.0),
        calling, () -> cluster.leader().kill(), () -> cluster.awaitLeader(BOUND)));
  }

  @Test
  void etcdDownFor30Seconds() throws Exception {
    Catalogue.record(RowRun.run(new Row("14", "etcd fully down for " + OUTAGE.toSeconds()
        + " s (every member killed), then back", 1.0), calling,
        () -> cluster.members().forEach(EtcdProcess::kill), OUTAGE, () -> restart(false)));
  }

  @Test
  void etcdWiped() throws Exception {
    // Every record is gone with the data: the mesh sees no instance until they register again.
    Catalogue.record(RowRun.run(new Row("15", "etcd wiped (every member stopped, its data deleted, started"
        + " empty); the instances register again by themselves", 0, BOUND), calling, () -> restart(true), null));
  }

  private void restart(boolean wiped) throws Exception {
    for (EtcdProcess member : cluster.members()) {
      member.stop();
      if (wiped) {
        member.wipeData();
      }
    }
    cluster.members().forEach(EtcdProcess::start); // together: each waits for the others to form
    cluster.members().forEach(m -> m.awaitHealthy(BOUND));
  }
}
