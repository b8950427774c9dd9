package io.meshwork.security;

/** How the mesh uses mutual TLS between workloads. */
public enum MtlsMode {

  /**
   * Only mutual TLS. Outbound calls present this workload's certificate and verify the callee's;
   * inbound connections without a valid client certificate from a trusted root are refused.
   */
  STRICT,

  /**
   * Mutual TLS when the peer offers it, plaintext otherwise: the way to migrate a fleet to
   * {@link #STRICT} one service at a time. A plaintext caller has no identity, so authorization
   * policies see it as unauthenticated.
   */
  PERMISSIVE,

  /** No TLS at all: every peer is unauthenticated. For local development and tests only. */
  DISABLED
}
