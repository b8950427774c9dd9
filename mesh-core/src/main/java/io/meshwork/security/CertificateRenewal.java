package io.meshwork.security;

import io.meshwork.time.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Keeps a workload's certificate fresh: after each certificate it schedules the next at a fraction of
 * its remaining lifetime (half unless set, jittered by 10% either way so a fleet does not renew at
 * once; never sooner than the first retry wait), and after a failed renewal tries again with exponential backoff while the current
 * certificate serves, never waiting past its expiry (at most a quarter of the time it has left). Time runs on the given {@link Scheduler}, so a {@code FakeTicker} drives it in
 * tests. Transports read {@link #generation()} and then {@link #current()} for each new connection;
 * a new certificate is visible before its generation.
 */
public interface CertificateRenewal extends AutoCloseable {

  /** A renewal of the certificates {@code issuer} makes, timed on {@code scheduler}. */
  static Builder builder(CertificateIssuer issuer, Scheduler scheduler) {
    return new Builder(issuer, scheduler);
  }

  /** Takes {@code first}, the certificate in force now, and schedules its renewal; once. */
  void start(CertificateBundle first);

  /** The certificate in force; null before {@link #start}. */
  CertificateBundle current();

  /** Counts the certificates taken after the first; changes after {@link #current()} does. */
  long generation();

  /** Renews at once (the current certificate was revoked), unless a renewal is under way. */
  void renewNow();

  /** Whether a renewal is under way. */
  boolean renewing();

  /** Stops renewing; a renewal under way is dropped when it ends. */
  @Override
  void close();

  /** Builds a {@link CertificateRenewal}; each setter checks its value. */
  final class Builder {
    private final CertificateIssuer issuer;
    private final Scheduler scheduler;
    private String name = "certificate";
    private double fraction = 0.5;
    private double jitter = 0.1;
    private Duration initialRetry = Duration.ofMillis(500);
    private Duration maxRetry = Duration.ofSeconds(30);
    private RandomGenerator random;
    private Clock clock = Clock.systemUTC();
    private Duration lifetime;

    Builder(CertificateIssuer issuer, Scheduler scheduler) {
      this.issuer = Objects.requireNonNull(issuer, "issuer");
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /** What the log calls the certificate's owner, such as its workload identity. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The fraction of the remaining lifetime after which a certificate is renewed; 0.5 unless set. */
    public Builder renewAt(double fraction) {
      if (!(fraction > 0 && fraction < 1)) {
        throw new IllegalArgumentException("renewAt: " + fraction + " (expected: > 0 and < 1)");
      }
      this.fraction = fraction;
      return this;
    }

    /** How far either way the renewal time is moved at random, as a fraction of it; 0.1 unless set. */
    public Builder jitter(double jitter) {
      if (!(jitter >= 0 && jitter < 1)) {
        throw new IllegalArgumentException("jitter: " + jitter + " (expected: >= 0 and < 1)");
      }
      this.jitter = jitter;
      return this;
    }

    /**
     * The wait after a failed renewal, doubled after each further failure up to {@code max};
     * 500 ms up to 30 s unless set. Equal values retry at a fixed interval. While the current
     * certificate is valid, a wait is cut to a quarter of the time it has left (but not below
     * {@code initial}), so that the issuer is asked again before the certificate expires; once it has
     * expired, the waits are these alone.
     */
    public Builder retry(Duration initial, Duration max) {
      if (initial == null || initial.isNegative() || initial.isZero()) {
        throw new IllegalArgumentException("retry initial: " + initial + " (expected: > 0)");
      }
      if (max == null || max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("retry max: " + max + " (expected: >= initial, " + initial + ")");
      }
      this.initialRetry = initial;
      this.maxRetry = max;
      return this;
    }

    /** The random source of the jitter; the calling thread's {@code ThreadLocalRandom} unless set. */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * The lifetime of every certificate, for an issuer that asks for a fixed one: renewals are then
     * timed on the scheduler alone. Unless set, a certificate's lifetime is measured from the
     * {@link #clock} at the time it is taken to its expiry.
     */
    public Builder lifetime(Duration lifetime) {
      if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
        throw new IllegalArgumentException("lifetime: " + lifetime + " (expected: > 0)");
      }
      this.lifetime = lifetime;
      return this;
    }

    /** The wall clock a certificate's expiry is compared with; the system's unless set. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The renewal, not started. */
    public CertificateRenewal build() {
      return new ScheduledCertificateRenewal(name, issuer, scheduler, fraction, jitter, initialRetry, maxRetry,
          random, clock, lifetime);
    }
  }
}
