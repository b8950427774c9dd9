package io.meshwork.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.Mesh;
import io.meshwork.MeshBuilder;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.internal.DefaultMesh;
import io.meshwork.loadbalancer.LoadBalancer;
import io.meshwork.netty.testing.RecordingAuthority;
import io.meshwork.policy.Protocol;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.security.CertificateAuthority;
import io.meshwork.time.FakeTicker;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Certificates rotated ten times while several threads call without pause: no call fails, the
 * connections opened before a rotation keep serving, and every connection opened after one
 * presents the new certificate. Rotation is the meshes' own renewal at half the certificate's
 * lifetime, driven by a fake ticker; a new instance of the callee after each rotation makes the
 * client open new connections.
 */
class CertificateRotationTest {

  private static final int ROUNDS = 10;
  private static final int THREADS = 4;

  private final FakeTicker ticker = new FakeTicker();
  // The certificates' validity follows the real clock; only the renewal timers follow the ticker.
  private final RecordingAuthority authority = new RecordingAuthority(CertificateAuthority.create("cluster.local"));
  private final InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void certificatesRotateTenTimesUnderLoadWithoutAFailedCall(Protocol protocol) throws Exception {
    Mesh users = mesh(builder("user-service"));
    // The ticker is also the deadline's clock: a day outlasts every advance of the test.
    Mesh orders = mesh(builder("order-service").defaultPolicy(ServicePolicy.builder().protocol(protocol)
        .loadBalancer(LoadBalancer::roundRobin).timeout(Duration.ofDays(1)).build()));
    CountDownLatch first = serveAnother(users, 1);

    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong succeeded = new AtomicLong();
    Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    List<Thread> callers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      Thread caller = new Thread(() -> {
        while (!stop.get()) {
          try {
            MeshResponse response = orders.call("user-service", MeshRequest.get("/users/1")).get(30, TimeUnit.SECONDS);
            if (response.status() == 200) {
              succeeded.incrementAndGet();
            } else {
              failures.add(new AssertionError("status " + response.status() + ": " + response.bodyAsString()));
            }
          } catch (Exception e) {
            failures.add(e);
          }
        }
      }, "caller-" + t);
      caller.start();
      callers.add(caller);
    }
    assertThat(first.await(30, TimeUnit.SECONDS)).as("the first instance served").isTrue();

    List<BigInteger> clientSerials = new ArrayList<>();
    List<BigInteger> serverSerials = new ArrayList<>();
    try {
      for (int round = 0; round < ROUNDS; round++) {
        ticker.advance(Duration.ofMinutes(34)); // past half the hour's lifetime, jitter included: both renew
        clientSerials.add(serial(orders));
        serverSerials.add(serial(users));
        // A new instance: the calls it serves arrive on connections opened with the new certificates.
        assertThat(serveAnother(users, 20).await(30, TimeUnit.SECONDS)).as("round %d served", round).isTrue();
      }
    } finally {
      stop.set(true);
      for (Thread caller : callers) {
        caller.join(TimeUnit.SECONDS.toMillis(30));
      }
    }

    assertThat(failures).as("failed calls").isEmpty();
    assertThat(clientSerials).doesNotHaveDuplicates().hasSize(ROUNDS);
    assertThat(serverSerials).doesNotHaveDuplicates().hasSize(ROUNDS);
    // A serial whose revocation was checked is one a peer presented in a handshake.
    assertThat(authority.checkedSerials()).as("certificates presented").containsAll(clientSerials)
        .containsAll(serverSerials);
    assertThat(succeeded.get()).isGreaterThanOrEqualTo(20L * ROUNDS);
  }

  /** Serves another instance of the callee; the latch opens once it answered {@code calls} calls. */
  private static CountDownLatch serveAnother(Mesh users, int calls) {
    CountDownLatch served = new CountDownLatch(calls);
    users.serve(0, request -> {
      served.countDown();
      return CompletableFuture.completedFuture(MeshResponse.ok("user"));
    });
    return served;
  }

  private MeshBuilder builder(String service) {
    NettyTransport transport = NettyTransport.builder().eventLoopThreads(2).shutdownGrace(Duration.ofSeconds(1))
        .build();
    closing.add(transport);
    return Mesh.builder().service(service).registry(registry).transport(transport).certificateAuthority(authority)
        .certificateTtl(Duration.ofHours(1)).ticker(ticker).shutdownGrace(Duration.ofSeconds(1));
  }

  private Mesh mesh(MeshBuilder builder) {
    Mesh mesh = builder.build();
    closing.add(mesh);
    return mesh;
  }

  private static BigInteger serial(Mesh mesh) {
    return ((DefaultMesh) mesh).tlsCredentials().current().certificate().getSerialNumber();
  }
}
