package io.meshwork.security;

import java.util.concurrent.CompletableFuture;

/**
 * Where a {@link CertificateRenewal} gets each new certificate of a workload: a local
 * {@link CertificateAuthority}, a CSR to the control plane, or the control plane's own CA.
 */
@FunctionalInterface
public interface CertificateIssuer {

  /**
   * A new certificate with its key and trust anchors; completes exceptionally (or throws) when it
   * cannot be had now, and the renewal tries again later.
   */
  CompletableFuture<CertificateBundle> issue();
}
