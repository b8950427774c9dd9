package io.meshwork.fleet.api;

/**
 * The body of {@code POST /api/v1/certificates/sign}: a PKCS#10 certificate signing request whose
 * subject alternative name is the workload's SPIFFE ID, signed by the workload's own key.
 *
 * @param csr the request, PEM ({@code -----BEGIN CERTIFICATE REQUEST-----})
 * @param ttl the lifetime asked for, such as {@code 24h}; capped by the control plane's maximum
 */
public record SignRequest(String csr, String ttl) {}
