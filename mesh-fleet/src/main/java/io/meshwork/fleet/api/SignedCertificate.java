package io.meshwork.fleet.api;

/**
 * The answer to a CSR: the certificate, its chain and the root to trust.
 *
 * @param spiffeId the identity the certificate carries
 * @param serial the certificate's serial, hexadecimal
 * @param certificate the leaf, PEM
 * @param certificateChain the leaf and the CA certificates above it, PEM
 * @param caCertificate the root every peer trusts, PEM
 * @param notAfter when the certificate expires, ISO-8601
 * @param controlPlaneIdentity the SPIFFE ID the control plane presents over mTLS, or null when it serves
 *     plaintext only
 */
public record SignedCertificate(String spiffeId, String serial, String certificate, String certificateChain,
    String caCertificate, String notAfter, String controlPlaneIdentity) {}
