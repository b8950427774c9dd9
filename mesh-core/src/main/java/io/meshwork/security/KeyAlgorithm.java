package io.meshwork.security;

/** The key pair a {@link CertificateAuthority} generates for an issued certificate. */
public enum KeyAlgorithm {

  /** ECDSA on the NIST P-256 curve: small, fast to generate and to sign with. The default. */
  EC_P256,

  /** RSA with a 2048-bit modulus, for peers that cannot handle ECDSA. Slow to generate. */
  RSA_2048
}
