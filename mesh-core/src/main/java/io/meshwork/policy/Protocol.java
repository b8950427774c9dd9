package io.meshwork.policy;

/** The HTTP version used towards a destination. */
public enum Protocol {
  /** HTTP/1.1 over a pool of keep-alive connections per instance. */
  HTTP_1_1,
  /** HTTP/2: one multiplexed connection per instance (h2c with prior knowledge in plaintext). */
  HTTP_2
}
