package io.meshwork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.security.AuthorizationPolicy;
import io.meshwork.security.AuthorizationRule;
import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.CertificateBundle;
import io.meshwork.security.IssuedCertificate;
import io.meshwork.security.MtlsMode;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.time.FakeTicker;
import io.meshwork.transport.InMemoryTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Mutual TLS and authorization end to end on the in-memory mesh, with real certificates. */
class MtlsInMemoryTest {

  private final FakeTicker ticker = new FakeTicker();
  private final CertificateAuthority authority = CertificateAuthority.create("cluster.local", ticker.clock());
  private final InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
  private final InMemoryTransport network = new InMemoryTransport(ticker);
  private final List<Mesh> meshes = new ArrayList<>();
  private final List<WorkloadIdentity> callers = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    meshes.forEach(Mesh::close);
    network.close();
  }

  private MeshBuilder builder(String service) {
    return Mesh.builder().service(service).registry(registry).transport(network).ticker(ticker)
        .shutdownGrace(Duration.ZERO);
  }

  private Mesh add(MeshBuilder builder) {
    Mesh mesh = builder.build();
    meshes.add(mesh);
    return mesh;
  }

  private MeshServer serveUsers(Mesh users) {
    return users.serve(0, request -> {
      callers.add(request.peerIdentity().orElse(null));
      return CompletableFuture.completedFuture(MeshResponse.ok("user"));
    });
  }

  private MeshResponse call(Mesh mesh) {
    return FakeTime.runUntilDone(ticker, mesh.call("user-service", MeshRequest.get("/users/1")),
        Duration.ofSeconds(20)).join();
  }

  @Test
  void meshesOfOneAuthorityCallEachOtherAndTheHandlerSeesTheCaller() {
    serveUsers(add(builder("user-service").certificateAuthority(authority)));
    Mesh orders = add(builder("order-service").certificateAuthority(authority));
    assertThat(call(orders).bodyAsString()).isEqualTo("user");
    assertThat(callers).containsExactly(WorkloadIdentity.parse("spiffe://cluster.local/ns/default/sa/order-service"));
  }

  @Test
  void aStrictServerRefusesAPlaintextCallerWithoutRetrying() {
    serveUsers(add(builder("user-service").certificateAuthority(authority)));
    Mesh plain = add(builder("order-service"));
    assertThatThrownBy(() -> call(plain)).cause().isInstanceOf(TlsHandshakeException.class)
        .hasMessageContaining("requires mutual TLS");
    assertThat(callers).isEmpty();
  }

  @Test
  void aPermissiveServerTakesBothAndOnlyMtlsCallersHaveAnIdentity() {
    serveUsers(add(builder("user-service").certificateAuthority(authority).mtls(MtlsMode.PERMISSIVE)));
    call(add(builder("plain-caller")));
    call(add(builder("secure-caller").certificateAuthority(authority)));
    assertThat(callers).containsExactly(null,
        WorkloadIdentity.parse("spiffe://cluster.local/ns/default/sa/secure-caller"));
  }

  @Test
  void aServerPresentingAnotherServicesIdentityIsRefused() {
    Mesh billing = add(builder("billing-service").certificateAuthority(authority));
    MeshServer impostor = serveUsers(billing);
    registry.register(ServiceInstance.builder("user-service", "impostor").host("127.0.0.1")
        .port(impostor.port()).build());
    Mesh orders = add(builder("order-service").certificateAuthority(authority)
        .defaultPolicy(ServicePolicy.defaults()));
    assertThatThrownBy(() -> call(orders)).cause().isInstanceOf(TlsHandshakeException.class)
        .hasMessageContaining("identity mismatch: expected spiffe://cluster.local/ns/default/sa/user-service,"
            + " the server presented spiffe://cluster.local/ns/default/sa/billing-service");
    assertThat(callers).isEmpty();
  }

  @Test
  void aCallerWhoseCertificateAnotherRootIssuedIsRefused() {
    serveUsers(add(builder("user-service").certificateAuthority(authority)));
    // Same trust domain and subject names, another key: only the signature tells the roots apart.
    CertificateAuthority foreign = CertificateAuthority.create("cluster.local", ticker.clock());
    Mesh orders = add(builder("order-service").certificateAuthority(foreign));
    assertThatThrownBy(() -> call(orders)).cause().isInstanceOf(TlsHandshakeException.class)
        .hasMessageContaining("the server's certificate is not issued by a trusted authority");
    assertThat(callers).isEmpty();
  }

  @Test
  void aServerTrustingAnotherRootRefusesTheCaller() {
    CertificateAuthority foreign = CertificateAuthority.create("cluster.local", ticker.clock());
    IssuedCertificate own = authority.issue(WorkloadIdentity.of("cluster.local", "default", "user-service"));
    serveUsers(add(builder("user-service").certificates(CertificateBundle.of(own.privateKey(), own.chain(),
        List.of(foreign.rootCertificate())))));
    Mesh orders = add(builder("order-service").certificateAuthority(authority));
    assertThatThrownBy(() -> call(orders)).cause().isInstanceOf(TlsHandshakeException.class)
        .hasMessageContaining("the server refused our certificate: not issued by an authority it trusts");
    assertThat(callers).isEmpty();
  }

  @Test
  void aRevokedCallerIsRefused() {
    serveUsers(add(builder("user-service").certificateAuthority(authority)));
    Mesh orders = add(builder("order-service").certificateAuthority(authority));
    assertThat(call(orders).status()).isEqualTo(200);
    authority.revoke(ownSerial(orders));
    assertThatThrownBy(() -> call(orders)).cause().isInstanceOf(TlsHandshakeException.class)
        .hasMessageContaining("revoked");
  }

  @Test
  void certificatesRotateTenTimesUnderLoadWithoutAFailedCall() {
    serveUsers(add(builder("user-service").certificateAuthority(authority).certificateTtl(Duration.ofHours(1))));
    Mesh orders = add(builder("order-service").certificateAuthority(authority).certificateTtl(Duration.ofHours(1)));
    java.util.Set<java.math.BigInteger> serials = new java.util.HashSet<>();
    for (int round = 0; round < 10; round++) {
      serials.add(ownSerial(orders));
      for (int i = 0; i < 20; i++) {
        assertThat(call(orders).status()).isEqualTo(200);
      }
      ticker.advance(Duration.ofMinutes(33)); // past half the lifetime plus jitter: both meshes renew
    }
    assertThat(serials).hasSize(10);
  }

  @Test
  void theAuthorizationPolicyDeniesWithA403AndAReason() {
    serveUsers(add(builder("user-service").certificateAuthority(authority)
        .authorization(AuthorizationPolicy.of(AuthorizationRule.allow("spiffe://cluster.local/ns/default/sa/order-service")))));
    assertThat(call(add(builder("order-service").certificateAuthority(authority))).status()).isEqualTo(200);
    MeshResponse denied = call(add(builder("billing-service").certificateAuthority(authority)));
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.bodyAsString()).contains("\"error\":\"forbidden\"");
  }

  @Test
  void mtlsWithoutCredentialsIsRejectedAtBuild() {
    assertThatThrownBy(() -> builder("order-service").mtls(MtlsMode.STRICT).build())
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("needs credentials");
    assertThatThrownBy(() -> Mesh.builder().transport(network).certificateAuthority(authority).build())
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("MeshBuilder.service");
  }

  private static java.math.BigInteger ownSerial(Mesh mesh) {
    return ((io.meshwork.internal.DefaultMesh) mesh).tlsCredentials().current().certificate().getSerialNumber();
  }
}
