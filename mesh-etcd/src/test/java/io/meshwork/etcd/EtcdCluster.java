package io.meshwork.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** A real etcd cluster of several members on loopback, each a child process of the test JVM. */
final class EtcdCluster implements AutoCloseable {

  private final List<EtcdProcess> members = new ArrayList<>();

  private EtcdCluster(Path dir, int size) {
    for (int i = 1; i <= size; i++) {
      members.add(new EtcdProcess("m" + i, dir));
    }
    String initial = members.stream().map(m -> m.name() + "=" + m.peerUrl()).collect(Collectors.joining(","));
    members.forEach(m -> m.initialCluster(initial));
  }

  /** Starts {@code size} members in {@code dir} and waits until every one is healthy. */
  static EtcdCluster start(Path dir, int size) {
    EtcdCluster cluster = new EtcdCluster(dir, size);
    try {
      cluster.members.forEach(EtcdProcess::start); // together: each waits for the others to form
      cluster.members.forEach(m -> m.awaitHealthy(Duration.ofSeconds(15)));
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  List<EtcdProcess> members() {
    return members;
  }

  /** Client URLs of every member, comma-separated (for etcdctl and the registry builder). */
  String endpoints() {
    return members.stream().map(EtcdProcess::clientUrl).collect(Collectors.joining(","));
  }

  /** Client URLs of the running members. */
  String runningEndpoints() {
    return members.stream().filter(EtcdProcess::isRunning).map(EtcdProcess::clientUrl)
        .collect(Collectors.joining(","));
  }

  /** The member that leads now, as the real {@code etcdctl endpoint status -w json} reports it. */
  EtcdProcess leader() {
    String json = Etcdctl.run(runningEndpoints(), "endpoint", "status", "-w", "json");
    try {
      for (JsonNode status : new ObjectMapper().readTree(json)) {
        JsonNode inner = status.get("Status");
        JsonNode leader = inner.get("leader"); // absent (zero) while an election is under way
        // member ids are unsigned 64-bit: compare their text, not a long.
        if (leader != null && inner.get("header").get("member_id").asText().equals(leader.asText())) {
          String endpoint = status.get("Endpoint").asText();
          return members.stream().filter(m -> m.clientUrl().equals(endpoint)).findFirst()
              .orElseThrow(() -> new AssertionError("leader " + endpoint + " is no member of " + members));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read etcdctl's status: " + json, e);
    }
    throw new AssertionError("no leader in " + json);
  }

  /** Waits until the running members agree on a running leader (after one was killed), and returns it. */
  EtcdProcess awaitLeader(Duration bound) {
    EtcdProcess[] leader = new EtcdProcess[1];
    Await.until(bound, () -> {
      try {
        leader[0] = leader();
        return leader[0].isRunning();
      } catch (AssertionError noLeaderYet) {
        return false;
      }
    }, "a new leader among " + runningEndpoints());
    return leader[0];
  }

  @Override
  public void close() {
    members.forEach(EtcdProcess::stop);
  }
}
