package io.meshwork.security;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A certificate authority whose root can be replaced while the meshes that use it run, without a
 * failed call. Give it to the meshes instead of the CA itself; each mesh reads which root signs and
 * which roots it trusts at every renewal of its certificate. A rotation has three steps, each taken
 * once every mesh has renewed since the previous one (after one certificate lifetime, every
 * certificate from before the step has expired, so every mesh still serving has renewed):
 *
 * <ol>
 *   <li>{@link #begin begin(next)}: the current root still signs; both roots are trusted. Meshes
 *       learn to accept the new root before any certificate of it exists.
 *   <li>{@link #signWithNext()}: the new root signs; both are still trusted, so meshes that have not
 *       renewed yet (certificates of the old root) and those that have (of the new) accept each other.
 *   <li>{@link #finish()}: the new root signs and is the only one trusted; the old authority is
 *       forgotten. The rotation is {@link Phase#STEADY} again, ready for the next one.
 * </ol>
 *
 * <pre>{@code
 * RootRotation ca = RootRotation.of(CertificateAuthority.load(caPem, caKeyPem));
 * Mesh mesh = Mesh.builder().service("orders").certificateAuthority(ca).build();
 * ca.begin(CertificateAuthority.load(newCaPem, newCaKeyPem));  // then wait one certificate lifetime
 * ca.signWithNext();                                           // wait again
 * ca.finish();
 * }</pre>
 *
 * <p>{@link #rollBack()} undoes the last step taken. Revocations go to both authorities while both
 * are trusted. Thread-safe: the phase, signer and trusted roots change together, atomically.
 */
public final class RootRotation implements CertificateAuthority {

  private static final Logger log = LoggerFactory.getLogger(RootRotation.class);

  /** Where a rotation stands. */
  public enum Phase {
    /** No rotation under way: the current root signs and is the only one trusted. */
    STEADY,
    /** Step 1: the current root signs; the current and the next root are trusted. */
    TRUSTING_NEXT,
    /** Step 2: the next root signs; both roots are still trusted. */
    SIGNING_WITH_NEXT
  }

  private final AtomicReference<RotationState> state;

  private RootRotation(RotationState initial) {
    this.state = new AtomicReference<>(initial);
  }

  /**
   * A rotation at rest on {@code current}: it signs and is the only root trusted, until {@link #begin}.
   *
   * @throws InvalidCertificateException when {@code current}'s root is no CA certificate, or
   *     {@code current} is itself a rotation
   */
  public static RootRotation of(CertificateAuthority current) {
    requireSingleRoot("current", current);
    return new RootRotation(RotationState.steady(current));
  }

  /** Where the rotation stands now. */
  public Phase phase() {
    return state.get().phase();
  }

  /**
   * Step 1: {@code next}'s root is trusted besides the current one, which still signs.
   *
   * @throws IllegalStateException when a rotation is already under way
   * @throws InvalidCertificateException when {@code next}'s root is no CA certificate, is the current
   *     root, or {@code next} issues for another trust domain
   */
  public void begin(CertificateAuthority next) {
    requireSingleRoot("next", next);
    RotationState now = state.get();
    RotationState to = now.begin(next);
    X509Certificate root = next.rootCertificate();
    if (to != null && root.equals(now.current().rootCertificate())) {
      throw new InvalidCertificateException("next: root '" + TrustAnchors.name(root) + "' serial "
          + TrustAnchors.serial(root) + " is the current root (expected: a new root)", null);
    }
    Optional<String> domain = now.current().trustDomain();
    if (to != null && domain.isPresent() && next.trustDomain().isPresent() && !domain.equals(next.trustDomain())) {
      throw new InvalidCertificateException("next: trust domain '" + next.trustDomain().get() + "' (expected: '"
          + domain.get() + "', the current root's: a root rotation keeps the trust domain)", null);
    }
    move("begin(next)", "STEADY; finish() or rollBack() the rotation under way first", now, to);
  }

  /**
   * Step 2: the next root signs every certificate from now on; both roots stay trusted.
   *
   * @throws IllegalStateException unless the rotation is {@link Phase#TRUSTING_NEXT}
   */
  public void signWithNext() {
    RotationState now = state.get();
    move("signWithNext()", "TRUSTING_NEXT; begin(next) first", now, now.signWithNext());
  }

  /**
   * Step 3: only the new root is trusted; it becomes the current one and the old is forgotten.
   *
   * @throws IllegalStateException unless the rotation is {@link Phase#SIGNING_WITH_NEXT}
   */
  public void finish() {
    RotationState now = state.get();
    move("finish()", "SIGNING_WITH_NEXT; signWithNext() first", now, now.finish());
  }

  /**
   * Undoes the last step: from {@link Phase#SIGNING_WITH_NEXT} the current root signs again (both
   * stay trusted); from {@link Phase#TRUSTING_NEXT} the next root is no longer trusted.
   *
   * @throws IllegalStateException when no rotation is under way ({@link #finish()} cannot be undone:
   *     rotate back with a new {@link #begin})
   */
  public void rollBack() {
    RotationState now = state.get();
    move("rollBack()", "TRUSTING_NEXT or SIGNING_WITH_NEXT; no rotation is under way", now, now.rollBack());
  }

  /** Swaps {@code from} for {@code to}, the state {@code step} leads to (null: not from this phase). */
  private void move(String step, String expected, RotationState from, RotationState to) {
    if (to == null) {
      throw new IllegalStateException(step + ": the rotation is " + from.phase() + " (expected: " + expected + ")");
    }
    if (!state.compareAndSet(from, to)) {
      throw new IllegalStateException(step + ": the rotation moved to " + state.get().phase()
          + " meanwhile (expected: " + from.phase() + ")");
    }
    log.info("root rotation {}: now {}, signing with '{}' serial {}, trusting {}", step, to.phase(),
        TrustAnchors.name(to.signer().rootCertificate()), TrustAnchors.serial(to.signer().rootCertificate()),
        to.trustAnchors().stream().map(TrustAnchors::serial).toList());
  }

  private static void requireSingleRoot(String field, CertificateAuthority authority) {
    Objects.requireNonNull(authority, field);
    if (authority instanceof RootRotation) {
      throw new InvalidCertificateException(field + ": a RootRotation (expected: a certificate authority of one"
          + " root; a rotation rotates itself)", null);
    }
    TrustAnchors.requireCa(field + ".rootCertificate()", authority.rootCertificate());
  }

  /** Issued by the root that signs in this phase. */
  @Override
  public IssuedCertificate issue(WorkloadIdentity identity, Duration ttl, KeyAlgorithm algorithm) {
    return state.get().signer().issue(identity, ttl, algorithm);
  }

  /** Revoked with every authority trusted now, so a certificate of either root is refused. */
  @Override
  public void revoke(BigInteger serial) {
    RotationState now = state.get();
    now.current().revoke(serial);
    if (now.next() != null) {
      now.next().revoke(serial);
    }
  }

  /** Whether an authority trusted now revoked {@code serial}. */
  @Override
  public boolean isRevoked(BigInteger serial) {
    RotationState now = state.get();
    return now.current().isRevoked(serial) || now.next() != null && now.next().isRevoked(serial);
  }

  /** The root of the authority that signs now. */
  @Override
  public X509Certificate rootCertificate() {
    return state.get().signer().rootCertificate();
  }

  /** The current root, and the next one while a rotation is under way. */
  @Override
  public List<X509Certificate> trustAnchors() {
    return state.get().trustAnchors();
  }

  /** The root of the authority that signs now, as PEM; {@link #trustAnchors()} lists every root trusted. */
  @Override
  public String rootCertificatePem() {
    return state.get().signer().rootCertificatePem();
  }

  @Override
  public Optional<String> trustDomain() {
    return state.get().signer().trustDomain();
  }

  /** The revocation list of the authority that signs now. */
  @Override
  public String crlPem() {
    return state.get().signer().crlPem();
  }

  /** Saves the authority that signs now. */
  @Override
  public void save(Path directory) {
    state.get().signer().save(directory);
  }

  @Override
  public String toString() {
    RotationState now = state.get();
    return "RootRotation{phase=" + now.phase() + ", signing=" + TrustAnchors.serial(now.signer().rootCertificate())
        + ", trusted=" + now.trustAnchors().stream().map(TrustAnchors::serial).toList() + "}";
  }
}
