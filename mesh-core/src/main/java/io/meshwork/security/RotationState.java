package io.meshwork.security;

import io.meshwork.security.RootRotation.Phase;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * One immutable state of a {@link RootRotation}: its phase, the current authority and, while a
 * rotation is under way, the next one. Its step methods are the table of legal transitions: each
 * returns the state it leads to, or null when the step is not allowed from this phase.
 */
final class RotationState {

  private final Phase phase;
  private final CertificateAuthority current;
  private final CertificateAuthority next;
  private final List<X509Certificate> trustAnchors;

  private RotationState(Phase phase, CertificateAuthority current, CertificateAuthority next) {
    this.phase = phase;
    this.current = current;
    this.next = next;
    this.trustAnchors = next == null ? List.of(current.rootCertificate())
        : List.of(current.rootCertificate(), next.rootCertificate());
  }

  /** At rest on {@code current}. */
  static RotationState steady(CertificateAuthority current) {
    return new RotationState(Phase.STEADY, current, null);
  }

  /** STEADY to TRUSTING_NEXT. */
  RotationState begin(CertificateAuthority nextAuthority) {
    return phase == Phase.STEADY ? new RotationState(Phase.TRUSTING_NEXT, current, nextAuthority) : null;
  }

  /** TRUSTING_NEXT to SIGNING_WITH_NEXT. */
  RotationState signWithNext() {
    return phase == Phase.TRUSTING_NEXT ? new RotationState(Phase.SIGNING_WITH_NEXT, current, next) : null;
  }

  /** SIGNING_WITH_NEXT to STEADY on the next authority. */
  RotationState finish() {
    return phase == Phase.SIGNING_WITH_NEXT ? steady(next) : null;
  }

  /** One step back: SIGNING_WITH_NEXT to TRUSTING_NEXT, TRUSTING_NEXT to STEADY on the current one. */
  RotationState rollBack() {
    return switch (phase) {
      case SIGNING_WITH_NEXT -> new RotationState(Phase.TRUSTING_NEXT, current, next);
      case TRUSTING_NEXT -> steady(current);
      case STEADY -> null;
    };
  }

  Phase phase() {
    return phase;
  }

  CertificateAuthority current() {
    return current;
  }

  /** The next authority; null when STEADY. */
  CertificateAuthority next() {
    return next;
  }

  /** The authority that signs in this phase. */
  CertificateAuthority signer() {
    return phase == Phase.SIGNING_WITH_NEXT ? next : current;
  }

  List<X509Certificate> trustAnchors() {
    return trustAnchors;
  }
}
