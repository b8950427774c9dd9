package io.meshwork.transport;

import io.meshwork.MeshRequest;
import io.meshwork.TlsHandshakeException;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.security.CertificateBundle;
import io.meshwork.security.MtlsMode;
import io.meshwork.security.SpiffeIds;
import io.meshwork.security.WorkloadIdentity;
import java.security.cert.X509Certificate;

/**
 * The in-memory transport's stand-in for a mutual TLS handshake, with the real certificates: chains
 * verified against each side's trust anchors (by signature; dates are the fake clock's business),
 * revocation, the server's identity and the caller's trust domain.
 */
final class InMemoryHandshake {

  private InMemoryHandshake() {}

  /** The request as the server sees it, or a TlsHandshakeException naming the peer and reason. */
  static MeshRequest apply(ClientOptions client, ServiceInstance instance, ServerOptions server, MeshRequest request) {
    String peer = instance.address();
    TlsCredentials clientTls = client.tls();
    if (clientTls == null) {
      if (server.mtls() == MtlsMode.STRICT) {
        throw fail(client, peer, "the server requires mutual TLS and the client sent no certificate");
      }
      return request;
    }
    if (server.mtls() == MtlsMode.DISABLED) {
      throw fail(client, peer, "the server does not speak TLS");
    }
    CertificateBundle serverBundle = server.tls().current();
    CertificateBundle clientBundle = clientTls.current();
    X509Certificate serverCert = serverBundle.certificate();
    X509Certificate clientCert = clientBundle.certificate();
    // Each side verifies the other's chain against its own trust anchors, as a real handshake does.
    if (!clientBundle.trusts(serverBundle.certificateChain())) {
      throw fail(client, peer, "the server's certificate is not issued by a trusted authority (issuer "
          + serverCert.getIssuerX500Principal().getName() + ")");
    }
    if (!serverBundle.trusts(clientBundle.certificateChain())) {
      throw fail(client, peer, "the server refused our certificate: not issued by an authority it trusts");
    }
    if (clientTls.isRevoked(serverCert.getSerialNumber())) {
      throw fail(client, peer, "the server's certificate " + serverCert.getSerialNumber().toString(16) + " is revoked");
    }
    if (server.tls().isRevoked(clientCert.getSerialNumber())) {
      throw fail(client, peer, "the server refused our revoked certificate");
    }
    WorkloadIdentity expected = client.expectedIdentity(instance);
    WorkloadIdentity presented = SpiffeIds.identityOf(serverCert).orElse(null);
    if (!expected.equals(presented)) {
      throw fail(client, peer, "identity mismatch: expected " + expected + ", the server presented " + presented);
    }
    WorkloadIdentity caller = SpiffeIds.identityOf(clientCert).orElse(null);
    if (caller == null || !caller.trustDomain().equals(server.tls().trustDomain())) {
      throw fail(client, peer, "the server refused a client certificate without a SPIFFE ID in trust domain "
          + server.tls().trustDomain());
    }
    return request.toBuilder().peerIdentity(caller).build();
  }

  private static TlsHandshakeException fail(ClientOptions client, String peer, String reason) {
    return new TlsHandshakeException(client.service(), "TLS handshake with " + peer + " failed: " + reason);
  }
}
