package io.meshwork.netty.internal.tls;

import io.meshwork.security.SpiffeIds;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.transport.TlsCredentials;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies the certificate chain a peer presents in the handshake: valid now (by the credentials'
 * clock), issued under one of the trust anchors, no certificate revoked (asked of the credentials
 * at each handshake, so a revocation applies to the next connection), a leaf that is no CA, may sign
 * and is meant for the peer's role, and carrying the right SPIFFE identity: exactly the expected one
 * for a server we call, one of our trust domain for a client calling us.
 *
 * <p>A refusal is a {@link CertificateException} whose message is the reason, as the caller's
 * error reports it; {@link Refusal} makes it so that each SSL provider sends the peer a fitting
 * alert (certificate_revoked, certificate_expired, unknown_ca, ...).
 */
final class PeerVerifier extends X509ExtendedTrustManager {

  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  private final TlsCredentials credentials;
  private final TlsMaterial material;
  /** The identity a server must present; null when this verifies clients. */
  private final WorkloadIdentity expected;
  private final boolean openSsl;
  private final String peer;

  private PeerVerifier(TlsCredentials credentials, TlsMaterial material, WorkloadIdentity expected,
      boolean openSsl) {
    this.credentials = credentials;
    this.material = material;
    this.expected = expected;
    this.openSsl = openSsl;
    this.peer = expected == null ? "the client" : "the server";
  }

  /**
   * Verifies the servers a client calls, which must present {@code expected}; {@code openSsl} when
   * BoringSSL runs the handshake (it takes the alert to send from the refusal).
   */
  static PeerVerifier ofServer(TlsCredentials credentials, TlsMaterial material, WorkloadIdentity expected,
      boolean openSsl) {
    return new PeerVerifier(credentials, material, expected, openSsl);
  }

  /** Verifies the clients of a server. */
  static PeerVerifier ofClients(TlsCredentials credentials, TlsMaterial material, boolean openSsl) {
    return new PeerVerifier(credentials, material, null, openSsl);
  }

  private void verify(X509Certificate[] chain, boolean ofServer) throws CertificateException {
    if (ofServer != (expected != null)) {
      throw new CertificateException("verifier of " + peer + "s asked to verify the other side");
    }
    if (chain == null || chain.length == 0) {
      throw refused(peer + " presented no certificate", Refusal.REJECTED, null);
    }
    X509Certificate leaf = chain[0];
    checkDates(leaf);
    checkPath(chain);
    checkRevoked(chain);
    checkUsage(leaf);
    checkIdentity(leaf);
  }

  private void checkDates(X509Certificate leaf) throws CertificateException {
    try {
      leaf.checkValidity(Date.from(credentials.clock().instant()));
    } catch (CertificateExpiredException e) {
      throw refused(peer + "'s certificate " + serial(leaf) + " expired at " + leaf.getNotAfter().toInstant(),
          Refusal.EXPIRED, e);
    } catch (CertificateNotYetValidException e) {
      throw refused(peer + "'s certificate " + serial(leaf) + " is not valid before "
          + leaf.getNotBefore().toInstant(), Refusal.NOT_YET_VALID, e);
    }
  }

  private void checkPath(X509Certificate[] chain) throws CertificateException {
    List<X509Certificate> path = new ArrayList<>(chain.length);
    for (X509Certificate certificate : chain) {
      if (!material.isAnchor(certificate)) { // the anchor ends the path; it is not part of it
        path.add(certificate);
      }
    }
    String untrusted = peer + "'s certificate is not issued by a trusted authority (issuer "
        + chain[0].getIssuerX500Principal().getName() + ")";
    if (path.isEmpty()) {
      throw refused(peer + " presented a trust anchor, not a workload certificate", Refusal.REJECTED, null);
    }
    try {
      CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
      PKIXParameters parameters = new PKIXParameters(material.anchors);
      parameters.setRevocationEnabled(false); // revocation is the credentials' list, checked below
      parameters.setDate(Date.from(credentials.clock().instant()));
      CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
    } catch (CertPathValidatorException e) {
      if (e.getReason() == BasicReason.EXPIRED || e.getReason() == BasicReason.NOT_YET_VALID) {
        throw refused(peer + "'s certificate chain holds a certificate out of its validity: " + e.getMessage(),
            e.getReason() == BasicReason.EXPIRED ? Refusal.EXPIRED : Refusal.NOT_YET_VALID, e);
      }
      throw refused(untrusted, Refusal.UNTRUSTED, e);
    } catch (GeneralSecurityException e) {
      throw refused(untrusted + ": " + e.getMessage(), Refusal.UNTRUSTED, e);
    }
  }

  private void checkRevoked(X509Certificate[] chain) throws CertificateException {
    for (X509Certificate certificate : chain) {
      if (credentials.isRevoked(certificate.getSerialNumber())) {
        String which = certificate == chain[0] ? "certificate " : "issuer certificate ";
        throw refused(peer + "'s " + which + serial(certificate) + " is revoked", Refusal.REVOKED, null);
      }
    }
  }

  private void checkUsage(X509Certificate leaf) throws CertificateException {
    // A CA certificate can sign for anyone: as a peer it would be a workload that mints identities.
    if (leaf.getBasicConstraints() >= 0) {
      throw refused(peer + "'s certificate is a CA certificate (basicConstraints CA:TRUE), not a workload's",
          Refusal.WRONG_USAGE, null);
    }
    boolean[] keyUsage = leaf.getKeyUsage();
    if (keyUsage != null && !keyUsage[0]) { // the handshake signature needs digitalSignature
      throw refused(peer + "'s certificate's key usage does not allow digitalSignature", Refusal.WRONG_USAGE, null);
    }
    List<String> usages = leaf.getExtendedKeyUsage();
    String needed = expected == null ? CLIENT_AUTH : SERVER_AUTH;
    if (usages != null && !usages.contains(needed)) {
      throw refused(peer + "'s certificate is not for TLS " + (expected == null ? "client" : "server")
          + " authentication", Refusal.WRONG_USAGE, null);
    }
  }

  private void checkIdentity(X509Certificate leaf) throws CertificateException {
    WorkloadIdentity presented = SpiffeIds.identityOf(leaf).orElse(null);
    if (expected != null) {
      if (!expected.equals(presented)) {
        throw refused("identity mismatch: expected " + expected + ", " + peer + " presented "
            + (presented == null ? "no SPIFFE ID" : presented), Refusal.REJECTED, null);
      }
      return;
    }
    if (presented == null) {
      throw refused(peer + "'s certificate carries no SPIFFE ID", Refusal.REJECTED, null);
    }
    if (!presented.trustDomain().equals(credentials.trustDomain())) {
      throw refused(peer + "'s identity " + presented + " is not of trust domain " + credentials.trustDomain(),
          Refusal.REJECTED, null);
    }
  }

  private CertificateException refused(String reason, Refusal why, Throwable cause) {
    return why.exception(reason, cause, openSsl);
  }

  private static String serial(X509Certificate certificate) {
    return certificate.getSerialNumber().toString(16);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    verify(chain, false);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    verify(chain, false);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    verify(chain, false);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    verify(chain, true);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    verify(chain, true);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    verify(chain, true);
  }

  /** The anchors, which a server names in its certificate request. */
  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return material.anchorCertificates.clone();
  }
}
