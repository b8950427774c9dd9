package io.meshwork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.internal.DefaultMesh;
import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.CertificateBundle;
import io.meshwork.security.IssuedCertificate;
import io.meshwork.security.RootRotation;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.time.FakeTicker;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A CA root rotated under three instances of a service and their caller, on the in-memory mesh with
 * real certificates: each step waits for every mesh's renewal (fake time), and no call fails; after
 * the rotation an old-root peer is refused both ways. Taking the steps without waiting is what fails.
 */
class RootRotationInMemoryTest {

  private static final Duration TTL = Duration.ofHours(1);
  /** Past half the lifetime with the 10% jitter: every mesh of {@link #TTL} renews. */
  private static final Duration RENEWAL = Duration.ofMinutes(34);

  private final TestMeshes meshes = new TestMeshes();
  private final FakeTicker ticker = meshes.ticker;
  private final CertificateAuthority old = CertificateAuthority.create("cluster.local", ticker.clock());
  private final CertificateAuthority next = CertificateAuthority.create("cluster.local", ticker.clock());
  private final RootRotation rotation = RootRotation.of(old);

  @AfterEach
  void close() {
    meshes.close();
  }

  @Test
  void threeInstancesAndTheirCallerRotateTheRootWithoutAFailedCall() {
    // Lifetimes of 1 h to 3 h: the meshes renew at different times, so each step has an overlap.
    List<Mesh> all = new ArrayList<>(List.of(users(rotation, TTL), users(rotation, TTL.multipliedBy(2)),
        users(rotation, TTL.multipliedBy(3))));
    Mesh orders = add(builder("order-service").certificateAuthority(rotation).certificateTtl(TTL.plusMinutes(30)));
    all.add(orders);
    callTwenty(orders);

    rotation.begin(next);
    assertThat(callWhileRenewing(orders, all)).as("signers seen in step 1").containsExactly("old");
    for (Mesh mesh : all) {
      assertThat(bundle(mesh).trustAnchors()).containsExactly(old.rootCertificate(), next.rootCertificate());
    }

    rotation.signWithNext();
    assertThat(callWhileRenewing(orders, all)).as("signers seen in step 2: an overlap of both")
        .contains("old+new");
    for (Mesh mesh : all) {
      assertIssuedBy(mesh, next);
    }

    rotation.finish();
    callWhileRenewing(orders, all);
    for (Mesh mesh : all) {
      assertThat(bundle(mesh).trustAnchors()).containsExactly(next.rootCertificate());
      assertIssuedBy(mesh, next);
    }
  }

  /**
   * Moves time 10 minutes at a time past the longest renewal (55% of 3 h), making twenty calls at
   * each; returns which roots had signed the meshes' certificates at each step ("old", "new", or
   * "old+new" while both were live).
   */
  private List<String> callWhileRenewing(Mesh orders, List<Mesh> all) {
    List<String> signers = new ArrayList<>();
    for (int step = 0; step < 10; step++) {
      ticker.advance(Duration.ofMinutes(10));
      callTwenty(orders);
      boolean anyOld = all.stream().anyMatch(mesh -> issuedBy(mesh, old));
      boolean anyNew = all.stream().anyMatch(mesh -> issuedBy(mesh, next));
      String seen = anyOld && anyNew ? "old+new" : anyOld ? "old" : "new";
      if (signers.isEmpty() || !signers.get(signers.size() - 1).equals(seen)) {
        signers.add(seen);
      }
    }
    return signers;
  }

  @Test
  void afterTheRotationAnInstanceRefusesACallerOfTheOldRoot() {
    rotateWithOneUserInstance();
    // The caller trusts the new root, so only the instance's verdict on its old-root certificate counts.
    IssuedCertificate stale = old.issue(WorkloadIdentity.of("cluster.local", "default", "order-service"), TTL);
    Mesh orders = add(builder("order-service").certificates(CertificateBundle.of(stale.privateKey(), stale.chain(),
        List.of(next.rootCertificate()))));

    assertThatThrownBy(() -> call(orders)).cause().isInstanceOf(TlsHandshakeException.class)
        .hasMessageContaining("the server refused our certificate: not issued by an authority it trusts");
  }

  @Test
  void afterTheRotationACallerRefusesAnInstanceOfTheOldRoot() {
    Mesh orders = add(builder("order-service").certificateAuthority(rotation).certificateTtl(TTL));
    Mesh rotated = rotateWithOneUserInstance();
    rotated.close(); // the rotated instance leaves; one of the old root alone remains
    users(old, TTL);

    assertThatThrownBy(() -> call(orders)).cause().isInstanceOf(TlsHandshakeException.class)
        .hasMessageContaining("the server's certificate is not issued by a trusted authority");
  }

  @Test
  void signingWithTheNextRootBeforeEveryMeshTrustsItFailsCalls() {
    Mesh users = users(rotation, TTL);
    Mesh orders = add(builder("order-service").certificateAuthority(rotation).certificateTtl(TTL.multipliedBy(4)));
    callTwenty(orders);

    rotation.begin(next);
    rotation.signWithNext(); // too soon: the caller has not renewed, so it trusts the old root only
    ticker.advance(RENEWAL);

    assertIssuedBy(users, next);
    assertThat(bundle(orders).trustAnchors()).containsExactly(old.rootCertificate());
    assertThatThrownBy(() -> call(orders)).cause().isInstanceOf(TlsHandshakeException.class)
        .hasMessageContaining("the server's certificate is not issued by a trusted authority");
  }

  /** One instance of user-service through the three steps, each after its renewal; returns it. */
  private Mesh rotateWithOneUserInstance() {
    Mesh users = users(rotation, TTL);
    rotation.begin(next);
    ticker.advance(RENEWAL);
    rotation.signWithNext();
    ticker.advance(RENEWAL);
    rotation.finish();
    ticker.advance(RENEWAL);
    assertThat(bundle(users).trustAnchors()).containsExactly(next.rootCertificate());
    return users;
  }

  private Mesh users(CertificateAuthority authority, Duration ttl) {
    Mesh users = add(builder("user-service").certificateAuthority(authority).certificateTtl(ttl));
    users.serve(0, request -> CompletableFuture.completedFuture(MeshResponse.ok("user")));
    return users;
  }

  private MeshBuilder builder(String service) {
    return meshes.builder(service);
  }

  private Mesh add(MeshBuilder builder) {
    return meshes.add(builder.build());
  }

  private void callTwenty(Mesh orders) {
    for (int i = 0; i < 20; i++) {
      assertThat(call(orders).status()).isEqualTo(200);
    }
  }

  private MeshResponse call(Mesh mesh) {
    return meshes.join(mesh.call("user-service", MeshRequest.get("/users/1")));
  }

  private static CertificateBundle bundle(Mesh mesh) {
    return ((DefaultMesh) mesh).tlsCredentials().current();
  }

  private static void assertIssuedBy(Mesh mesh, CertificateAuthority authority) {
    assertThat(issuedBy(mesh, authority)).as("%s's certificate issued by %s", mesh, authority).isTrue();
  }

  private static boolean issuedBy(Mesh mesh, CertificateAuthority authority) {
    try {
      bundle(mesh).certificate().verify(authority.rootCertificate().getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
