package io.meshwork.transport;

import io.meshwork.MeshRequest;
import io.meshwork.TlsHandshakeException;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.security.MtlsMode;
import io.meshwork.security.SpiffeIds;
import io.meshwork.security.WorkloadIdentity;
import java.security.cert.X509Certificate;

/** The in-memory transport's stand-in for a mutual TLS handshake, with the real certificates. */
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
    X509Certificate serverCert = server.tls().current().certificate();
    X509Certificate clientCert = clientTls.current().certificate();
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
