package io.meshwork.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.Mesh;
import io.meshwork.security.ForwardingAuthority;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.IssuedCertificate;
import io.meshwork.security.KeyAlgorithm;
import io.meshwork.security.WorkloadIdentity;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A mesh whose build fails after it found its own transport releases it: the first certificate
 * failing left the Netty transport the mesh had loaded behind, with its event loops' descriptors
 * (epoll, eventfd, timerfd: the threads start only with the first task).
 */
class FailedBuildReleasesTest {

  private static long openDescriptors() throws java.io.IOException {
    try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  private static Set<Thread> meshThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.isAlive() && thread.getName().startsWith("meshwork-")).collect(Collectors.toSet());
  }

  @Test
  void aFirstCertificateThatFailsLeavesNothingOfTheTransportTheMeshLoaded() throws Exception {
    CertificateAuthority refusing = new ForwardingAuthority(CertificateAuthority.create("cluster.local")) {
      @Override
      public IssuedCertificate issue(WorkloadIdentity identity, Duration ttl, KeyAlgorithm algorithm) {
        throw new IllegalStateException("the CA is down");
      }
    };
    Set<Thread> before = meshThreads();
    long descriptors = openDescriptors();
    for (int i = 0; i < 10; i++) {
      assertThatThrownBy(() -> Mesh.builder().service("orders").registry(new InMemoryServiceRegistry())
          .certificateAuthority(refusing).build()).hasMessageContaining("the CA is down");
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Set<Thread> left = meshThreads();
    left.removeAll(before);
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      for (Thread thread : left) {
        thread.join(100); // a closed transport's threads end on their own, soon
      }
      left = meshThreads();
      left.removeAll(before);
    }
    assertThat(left).as("threads of the failed builds' transports").isEmpty();
    assertThat(openDescriptors()).as("descriptors after ten failed builds (before: %d)", descriptors)
        .isLessThan(descriptors + 10);
  }
}
