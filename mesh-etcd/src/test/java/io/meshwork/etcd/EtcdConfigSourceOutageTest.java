package io.meshwork.etcd;

import static io.meshwork.etcd.ConfigRecorder.BOUND;
import static io.meshwork.etcd.ConfigRecorder.RECOVERY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwork.config.MeshConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config source loses etcd (a proxy in front of a real etcd is cut) while the key changes twice:
 * on return its watch resumes from the last revision it saw, so both changes arrive and the key is
 * not read again; when etcd compacted that revision away meanwhile, it reads the key again, once.
 */
class EtcdConfigSourceOutageTest {

  private static final String KEY = EtcdConfigSource.DEFAULT_KEY;

  @TempDir
  Path dir;

  private EtcdProcess etcd;
  private TcpProxy proxy;
  private ConfigRecorder member;

  @BeforeEach
  void start() throws Exception {
    etcd = EtcdProcess.startSingle(dir);
    proxy = new TcpProxy(URI.create(etcd.clientUrl()).getPort());
    put(1);
    member = new ConfigRecorder(EtcdConfigSource.builder().endpoints("http://127.0.0.1:" + proxy.port()).key(KEY)
        .requestTimeout(Duration.ofSeconds(3)).retryBackoff(Duration.ofMillis(50), Duration.ofMillis(500)).build())
        .start();
    assertThat(timeoutOf(member.next(BOUND))).isEqualTo(1);
  }

  @AfterEach
  void stop() {
    member.source().close();
    proxy.close();
    etcd.stop();
  }

  @Test
  void theWatchResumesFromTheLastRevisionItSawAndMissesNoChange() throws Exception {
    proxy.cut();
    put(2);
    put(3);
    proxy.restore();

    assertThat(timeoutOf(lastOfTwo())).isEqualTo(3);
    assertThat(member.source().reloadCount()).as("resumed from its revision, not read again").isZero();
    assertThat(member.rejected()).isEmpty();
  }

  @Test
  void aRevisionCompactedDuringTheOutageIsCaughtUpWithByReadingTheKeyAgain() throws Exception {
    proxy.cut();
    put(2);
    put(3);
    long revision = new ObjectMapper().readTree(Etcdctl.run(etcd.clientUrl(), "get", "-w", "json", KEY))
        .get("header").get("revision").asLong();
    Etcdctl.run(etcd.clientUrl(), "compact", String.valueOf(revision));
    proxy.restore();

    assertThat(timeoutOf(member.next(RECOVERY))).as("the fresh read holds the last change only").isEqualTo(3);
    assertThat(member.source().reloadCount()).as("read again once").isEqualTo(1);
    assertThat(member.rejected()).isEmpty();
  }

  /** The last config after two changes: the resumed watch may hand them over one by one or together. */
  private MeshConfig lastOfTwo() throws InterruptedException {
    MeshConfig config = member.next(RECOVERY);
    return timeoutOf(config) == 2 ? member.next(BOUND) : config;
  }

  private void put(int timeoutSeconds) {
    Etcdctl.run(etcd.clientUrl(), "put", KEY, "services: {user-service: {timeout: " + timeoutSeconds + "s}}\n");
  }

  private static long timeoutOf(MeshConfig config) {
    return config.services().get("user-service").timeout().toSeconds();
  }
}
