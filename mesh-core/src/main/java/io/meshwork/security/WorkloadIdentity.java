package io.meshwork.security;

import java.net.URI;
import java.util.Objects;

/**
 * A workload's identity, written as the SPIFFE ID
 * {@code spiffe://<trust-domain>/ns/<namespace>/sa/<service>}.
 *
 * @param trustDomain the trust domain, such as {@code cluster.local}
 * @param namespace the namespace, such as {@code default}
 * @param service the service (the SPIFFE "service account")
 */
public record WorkloadIdentity(String trustDomain, String namespace, String service) {

  private static final String SCHEME = "spiffe://";

  /** Validates every part. */
  public WorkloadIdentity {
    checkTrustDomain(trustDomain);
    checkSegment("namespace", namespace);
    checkSegment("service", service);
  }

  /** The identity of {@code service} in {@code namespace} of {@code trustDomain}. */
  public static WorkloadIdentity of(String trustDomain, String namespace, String service) {
    return new WorkloadIdentity(trustDomain, namespace, service);
  }

  /** Parses a SPIFFE ID of the form {@code spiffe://td/ns/<namespace>/sa/<service>}. */
  public static WorkloadIdentity parse(String spiffeId) {
    Objects.requireNonNull(spiffeId, "spiffeId");
    String expected = " (expected: spiffe://<trust-domain>/ns/<namespace>/sa/<service>)";
    if (!spiffeId.startsWith(SCHEME)) {
      throw new IllegalArgumentException("spiffeId: '" + spiffeId + "'" + expected);
    }
    String rest = spiffeId.substring(SCHEME.length());
    String[] parts = rest.split("/", -1);
    if (parts.length != 5 || !parts[1].equals("ns") || !parts[3].equals("sa")) {
      throw new IllegalArgumentException("spiffeId: '" + spiffeId + "'" + expected);
    }
    try {
      return new WorkloadIdentity(parts[0], parts[2], parts[4]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("spiffeId: '" + spiffeId + "': " + e.getMessage(), e);
    }
  }

  /** The SPIFFE ID, {@code spiffe://<trust-domain>/ns/<namespace>/sa/<service>}. */
  public String spiffeId() {
    return SCHEME + trustDomain + "/ns/" + namespace + "/sa/" + service;
  }

  /** The SPIFFE ID as a URI. */
  public URI toUri() {
    return URI.create(spiffeId());
  }

  @Override
  public String toString() {
    return spiffeId();
  }

  private static void checkTrustDomain(String value) {
    if (value == null || value.isEmpty() || value.length() > 255) {
      throw new IllegalArgumentException("trustDomain: '" + value + "' (expected: 1..255 characters of [a-z0-9._-])");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_')) {
        throw new IllegalArgumentException("trustDomain: '" + value
            + "' (expected: lower-case letters, digits, '.', '-' and '_' only)");
      }
    }
  }

  private static void checkSegment(String field, String value) {
    if (value == null || value.isEmpty() || value.length() > 253) {
      throw new IllegalArgumentException(field + ": '" + value + "' (expected: 1..253 characters of [A-Za-z0-9._-])");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '-' || c == '_';
      if (!ok || value.equals(".") || value.equals("..")) {
        throw new IllegalArgumentException(field + ": '" + value
            + "' (expected: letters, digits, '.', '-' and '_' only)");
      }
    }
  }
}
