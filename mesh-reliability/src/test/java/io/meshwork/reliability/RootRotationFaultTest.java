package io.meshwork.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.Mesh;
import io.meshwork.MeshResponse;
import io.meshwork.netty.NettyTransport;
import io.meshwork.netty.testing.JdkTlsClient;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.RootRotation;
import io.meshwork.security.WorkloadIdentity;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The CA root rotated under load with an overlap: the three instances of the callee (a mesh each)
 * and the caller run on one {@link RootRotation}; it first trusts the new root besides the old, then
 * signs with the new, then drops the old, each step once every mesh has renewed its certificate
 * since the previous one (their own renewal at half a 4 s lifetime, on the real clock). No call may
 * fail; at the end an instance refuses a certificate of the old root.
 */
class RootRotationFaultTest {

  private static final Duration TTL = Duration.ofSeconds(4);
  private static final Duration BOUND = Duration.ofSeconds(90);
  /**
   * Renewals of each mesh to wait for after a step before its certificate in use is surely one begun
   * after the step: the first counted may have begun before it, and the second may not be in place yet
   * when it is counted; the third begins only once the second is.
   */
  private static final int RENEWALS_PER_STEP = 3;
  private static final WorkloadIdentity CALLER = WorkloadIdentity.of("cluster.local", "default", "catalogue");

  @Test
  void caRootRotatedWithAnOverlapUnderLoad() throws Exception {
    CertificateAuthority old = CertificateAuthority.create("cluster.local");
    CertificateAuthority next = CertificateAuthority.create("cluster.local");
    RootRotation rotation = RootRotation.of(old);
    // One counter per mesh: each counts the renewals of its own mesh.
    List<CountingAuthority> instances = List.of(new CountingAuthority(rotation), new CountingAuthority(rotation),
        new CountingAuthority(rotation));
    CountingAuthority caller = new CountingAuthority(rotation);
    InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
    List<Mesh> users = new ArrayList<>();
    List<Integer> ports = new ArrayList<>();
    try (NettyTransport transport = NettyTransport.builder().eventLoopThreads(1).shutdownGrace(Duration.ofSeconds(1))
        .build()) {
      for (CountingAuthority authority : instances) {
        Mesh mesh = Mesh.builder().service("users").registry(registry).transport(transport)
            .certificateAuthority(authority).certificateTtl(TTL).shutdownGrace(Duration.ofSeconds(1)).build();
        users.add(mesh);
        ports.add(mesh.serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok("user " + request.path())))
            .port());
      }
      Outcome outcome = RowRun.run(new Row("18", "CA root rotated under load with an overlap (mTLS; new root trusted,"
          + " then signing, then the old root removed, each step after every mesh renewed at a " + TTL.toSeconds()
          + " s lifetime)", 1.0),
          mesh -> mesh.certificateAuthority(caller).certificateTtl(TTL), registry, () -> {
            List<CountingAuthority> meshes = new ArrayList<>(instances);
            meshes.add(caller);
            rotation.begin(next);
            awaitRenewals(meshes);
            rotation.signWithNext();
            awaitRenewals(meshes);
            rotation.finish();
            awaitRenewals(meshes);
          }, null, null);

      assertOldRootRefused(ports.get(0), old, next);
      Catalogue.record(outcome);
    } finally {
      for (Mesh mesh : users) {
        mesh.close();
      }
    }
  }

  /** Waits, for every mesh, for the renewals after which its certificate in use is of this step. */
  private static void awaitRenewals(List<CountingAuthority> meshes) {
    List<Integer> before = meshes.stream().map(mesh -> mesh.issued(service(mesh, meshes))).toList();
    for (int i = 0; i < meshes.size(); i++) {
      meshes.get(i).awaitIssued(service(meshes.get(i), meshes), before.get(i) + RENEWALS_PER_STEP, BOUND);
    }
  }

  /** The caller's counter is the last: it counts {@code catalogue}, the instances' {@code users}. */
  private static String service(CountingAuthority mesh, List<CountingAuthority> meshes) {
    return mesh == meshes.get(meshes.size() - 1) ? "catalogue" : "users";
  }

  /**
   * The old root is gone: an instance refuses a client certificate of it at the handshake (TLS 1.2,
   * where the server's verdict ends the handshake), and serves one of the new root.
   */
  private static void assertOldRootRefused(int port, CertificateAuthority old, CertificateAuthority next)
      throws Exception {
    assertThatThrownBy(() -> JdkTlsClient.connect(port, old.issue(CALLER), next.rootCertificate(), "TLSv1.2").close())
        .as("a client certificate of the old root").isInstanceOf(IOException.class);
    try (JdkTlsClient client = JdkTlsClient.connect(port, next.issue(CALLER), next.rootCertificate(), "TLSv1.2")) {
      assertThat(client.get("/users/1")).isEqualTo("HTTP/1.1 200 user /users/1");
    }
  }
}
