package io.meshwork.etcd;

import static io.meshwork.etcd.ConfigRecorder.BOUND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.security.MtlsMode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a config source holds ends with it: {@link EtcdConfigSource#close()} stops the watch and ends
 * every thread the source started (so no callback can run after it), also while etcd is down and
 * from inside the source's own callback. A start against an etcd that refuses connections, or
 * accepts them and never answers, fails within its timeouts naming etcd and the key, and leaves no
 * thread behind either.
 */
class EtcdConfigSourceLifecycleTest {

  private static final String KEY = EtcdConfigSource.DEFAULT_KEY;
  private static final Duration CONNECT = Duration.ofMillis(500);
  private static final Duration REQUEST = Duration.ofSeconds(1);
  /** Room for a busy machine on top of a deadline the source is meant to keep. */
  private static final Duration SLACK = Duration.ofMillis(2500);

  @TempDir
  Path dir;

  @Test
  void closeEndsTheWatchAndEveryThreadTheSourceStarted() throws Exception {
    try (EtcdProcess etcd = EtcdProcess.startSingle(dir)) {
      Etcdctl.run(etcd.clientUrl(), "put", KEY, "mtls: STRICT\n");
      Set<Thread> before = etcdThreads();
      ConfigRecorder member = new ConfigRecorder(source(etcd.clientUrl())).start();
      assertThat(member.next(BOUND).mtls()).isEqualTo(MtlsMode.STRICT);
      Etcdctl.run(etcd.clientUrl(), "put", KEY, "mtls: PERMISSIVE\n");
      assertThat(member.next(BOUND).mtls()).as("watched, on the source's own thread").isEqualTo(MtlsMode.PERMISSIVE);
      assertThat(startedSince(before)).as("threads while it runs").isNotEmpty();

      member.source().close();
      awaitNoneLeft(before);
      member.source().close(); // twice: harmless
    }
  }

  @Test
  void closeWhileEtcdIsDownReturnsWithinItsBoundAndLeavesNoThread() throws Exception {
    EtcdProcess etcd = EtcdProcess.startSingle(dir);
    Set<Thread> before;
    ConfigRecorder member;
    try {
      Etcdctl.run(etcd.clientUrl(), "put", KEY, "mtls: STRICT\n");
      before = etcdThreads();
      member = new ConfigRecorder(source(etcd.clientUrl())).start();
      assertThat(member.next(BOUND).mtls()).isEqualTo(MtlsMode.STRICT);
    } finally {
      etcd.stop();
    }
    long start = System.nanoTime();
    member.source().close();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    System.out.println("MEASURED: with etcd down, EtcdConfigSource.close() took " + took.toMillis() + " ms");
    assertThat(took).isLessThan(SLACK);
    awaitNoneLeft(before);
    assertThat(member.rejected()).as("an outage rejects nothing").isEmpty();
  }

  @Test
  void aCallbackMayCloseItsOwnSource() throws Exception {
    try (EtcdProcess etcd = EtcdProcess.startSingle(dir)) {
      Set<Thread> before = etcdThreads();
      EtcdConfigSource source = source(etcd.clientUrl());
      CountDownLatch closedByCallback = new CountDownLatch(1);
      source.start(config -> {
        if (config.mtls() == MtlsMode.PERMISSIVE) {
          source.close(); // on the source's own thread, from the change it hands on
          closedByCallback.countDown();
        }
      }, rejection -> { });
      try {
        Etcdctl.run(etcd.clientUrl(), "put", KEY, "mtls: PERMISSIVE\n");
        assertThat(closedByCallback.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)).as("closed from its callback")
            .isTrue();
        awaitNoneLeft(before);
      } finally {
        source.close(); // harmless once closed; else what a failed assertion left open
      }
    }
  }

  @Test
  void aStartAgainstARefusedPortFailsWithinTheConnectTimeoutAndLeavesNoThread() {
    String url = "http://127.0.0.1:" + FreePorts.next();
    EtcdConfigSource source = assertStartFails(url, "connection refused to", CONNECT, "a refused port");
    assertThatThrownBy(() -> source.start(config -> { }, rejection -> { }))
        .isInstanceOf(IllegalStateException.class).hasMessageEndingWith("already closed");
  }

  @Test
  void aStartAgainstAnEtcdThatNeverAnswersFailsWithinTheConnectAndRequestTimeouts() throws Exception {
    // Accepts connections (the kernel does, up to the backlog) and never says a word.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      assertStartFails("http://127.0.0.1:" + silent.getLocalPort(), "", CONNECT.plus(REQUEST), "a silent port");
    }
  }

  /**
   * Starts a source against {@code url}; asserts that it fails within {@code deadline} (and room for
   * a busy machine), saying that etcd is unreachable, which read failed and then {@code cause}, and
   * that it leaves no thread behind. Returns the source.
   */
  private static EtcdConfigSource assertStartFails(String url, String cause, Duration deadline, String what) {
    Set<Thread> before = etcdThreads();
    EtcdConfigSource source = source(url);
    long start = System.nanoTime();
    assertThatThrownBy(() -> source.start(config -> { }, rejection -> { }))
        .isInstanceOf(EtcdUnavailableException.class)
        .hasMessageStartingWith("etcd unreachable at [" + url + "]: read " + KEY + ": " + cause);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    System.out.println("MEASURED: EtcdConfigSource.start() against " + what + " failed after " + took.toMillis()
        + " ms (its deadline: " + deadline.toMillis() + " ms)");
    assertThat(took).isLessThan(deadline.plus(SLACK));
    awaitNoneLeft(before);
    return source;
  }

  private static EtcdConfigSource source(String url) {
    return EtcdConfigSource.builder().endpoints(url).connectTimeout(CONNECT).requestTimeout(REQUEST)
        .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(200)).build();
  }

  /** The threads a client of etcd runs on: its connection's pools, and gRPC's shared ones. */
  private static Set<Thread> etcdThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith("meshwork-etcd-") || thread.getName().startsWith("grpc-"))
        .collect(Collectors.toSet());
  }

  /**
   * The threads started since {@code before}. gRPC's shared threads count only when none ran before:
   * otherwise another client in this JVM shares them and they rightly outlive the source.
   */
  private static List<String> startedSince(Set<Thread> before) {
    boolean grpcShared = before.stream().anyMatch(thread -> thread.getName().startsWith("grpc-"));
    return etcdThreads().stream().filter(thread -> !before.contains(thread))
        .filter(thread -> !grpcShared || thread.getName().startsWith("meshwork-etcd-"))
        .map(Thread::getName).sorted().toList();
  }

  private static void awaitNoneLeft(Set<Thread> before) {
    // gRPC ends its shared threads a second after their last user leaves.
    Await.until(BOUND, () -> startedSince(before).isEmpty(), () -> "threads left: " + startedSince(before));
  }
}
