package io.meshwork.reliability;

import io.meshwork.Mesh;
import io.meshwork.MeshResponse;
import io.meshwork.netty.NettyTransport;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.security.CertificateAuthority;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Certificates rotated under load: the callee's three instances and the caller renew their
 * certificates (the meshes' own renewal at half the lifetime, on the real clock) ten times each
 * while the load runs, and no call may fail.
 */
class RotationFaultsTest {

  /** Short enough for ten renewals in seconds; renewal at half of it leaves every certificate valid. */
  private static final Duration TTL = Duration.ofSeconds(4);
  private static final int ROTATIONS = 10;
  private static final Duration BOUND = Duration.ofSeconds(90);

  @Test
  void certificatesRotatedTenTimesUnderLoad() throws Exception {
    CountingAuthority authority = new CountingAuthority(CertificateAuthority.create("cluster.local"));
    InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
    try (NettyTransport transport = NettyTransport.builder().eventLoopThreads(1).shutdownGrace(Duration.ofSeconds(1))
        .build();
        Mesh users = Mesh.builder().service("users").registry(registry).transport(transport)
            .certificateAuthority(authority).certificateTtl(TTL).shutdownGrace(Duration.ofSeconds(1)).build()) {
      for (int i = 0; i < 3; i++) {
        users.serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok("user " + request.path())));
      }
      Catalogue.record(RowRun.run(new Row("16", "certificates rotated ×" + ROTATIONS + " under load (mTLS; callee"
          + " and caller renew at half of a " + TTL.toSeconds() + " s lifetime)", 1.0),
          mesh -> mesh.certificateAuthority(authority).certificateTtl(TTL), registry, () -> {
            int users0 = authority.issued("users");
            int caller0 = authority.issued("catalogue");
            authority.awaitIssued("users", users0 + ROTATIONS, BOUND);
            authority.awaitIssued("catalogue", caller0 + ROTATIONS, BOUND);
          }, null, null));
    }
  }
}
