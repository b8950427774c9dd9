package io.meshwork.security;

import io.meshwork.time.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link CertificateRenewal} of {@link CertificateRenewal#builder}: one pending timer at a time,
 * and at most one renewal under way. State changes are serialized by this object's monitor; the issuer
 * is called outside it, since it may complete on another thread or at once.
 */
final class ScheduledCertificateRenewal implements CertificateRenewal {

  private static final Logger log = LoggerFactory.getLogger(CertificateRenewal.class);

  private final String name;
  private final CertificateIssuer issuer;
  private final Scheduler scheduler;
  private final double fraction;
  private final double jitter;
  private final Duration initialRetry;
  private final Duration maxRetry;
  private final RandomGenerator random;
  private final Clock clock;
  /** The fixed lifetime of every certificate, or null to measure each one's from the clock. */
  private final Duration lifetime;
  private volatile CertificateBundle current;
  private volatile long generation;
  private Scheduler.Cancellable pending;
  /**
   * The waits scheduled since the current certificate was taken: how far into a fixed lifetime it is (a
   * wait cancelled by {@link #renewNow} counts whole, which can only bring retries sooner).
   */
  private long waitedNanos;
  private Duration retryDelay;
  private boolean renewing;
  private boolean closed;

  ScheduledCertificateRenewal(String name, CertificateIssuer issuer, Scheduler scheduler, double fraction,
      double jitter, Duration initialRetry, Duration maxRetry, RandomGenerator random, Clock clock,
      Duration lifetime) {
    this.name = name;
    this.issuer = issuer;
    this.scheduler = scheduler;
    this.fraction = fraction;
    this.jitter = jitter;
    this.initialRetry = initialRetry;
    this.maxRetry = maxRetry;
    this.random = random;
    this.clock = clock;
    this.lifetime = lifetime;
    this.retryDelay = initialRetry;
  }

  @Override
  public synchronized void start(CertificateBundle first) {
    Objects.requireNonNull(first, "first");
    if (current != null) {
      throw new IllegalStateException("start: already started with " + current.certificate().getSerialNumber());
    }
    current = first;
    waitedNanos = 0;
    schedule(renewalDelayNanos(first));
  }

  @Override
  public CertificateBundle current() {
    return current;
  }

  @Override
  public long generation() {
    return generation;
  }

  @Override
  public synchronized void renewNow() {
    if (closed || renewing || current == null) {
      return;
    }
    cancelPending();
    schedule(0);
  }

  @Override
  public synchronized boolean renewing() {
    return renewing;
  }

  @Override
  public synchronized void close() {
    closed = true;
    cancelPending();
  }

  private void renew() {
    synchronized (this) {
      if (closed || renewing) {
        return;
      }
      renewing = true;
      pending = null;
    }
    CompletableFuture<CertificateBundle> next;
    try {
      next = Objects.requireNonNull(issuer.issue(), "issuer.issue()");
    } catch (RuntimeException e) {
      next = CompletableFuture.failedFuture(e);
    }
    next.whenComplete(this::renewed);
  }

  private synchronized void renewed(CertificateBundle bundle, Throwable failure) {
    renewing = false;
    if (closed) {
      return;
    }
    if (failure == null && bundle != null) {
      // The new bundle is visible before the new generation: transports read generation() first.
      current = bundle;
      generation++;
      waitedNanos = 0;
      retryDelay = initialRetry;
      log.info("{}: renewed certificate, serial {} valid until {}", name,
          bundle.certificate().getSerialNumber().toString(16), bundle.certificate().getNotAfter().toInstant());
      schedule(renewalDelayNanos(bundle));
      return;
    }
    Duration backoff = retryDelay;
    retryDelay = backoff.multipliedBy(2).compareTo(maxRetry) > 0 ? maxRetry : backoff.multipliedBy(2);
    Duration delay = beforeExpiry(backoff);
    log.warn("{}: certificate renewal failed, keeping the current one (valid until {}); trying again in {}: {}",
        name, current.certificate().getNotAfter().toInstant(), delay,
        failure != null ? failure.getMessage() : "the issuer gave no certificate");
    schedule(delay.toNanos());
  }

  /**
   * The wait until {@code bundle} is renewed: the fraction of its remaining lifetime, jittered; at
   * least the first retry wait, so a clock that disagrees with the issuer's cannot renew in a loop.
   */
  private long renewalDelayNanos(CertificateBundle bundle) {
    long remaining = lifetime != null ? lifetime.toNanos()
        : TimeUnit.MILLISECONDS.toNanos(bundle.certificate().getNotAfter().getTime() - clock.millis());
    double draw = random != null ? random.nextDouble() : ThreadLocalRandom.current().nextDouble();
    double factor = fraction * (1 + (draw * 2 - 1) * jitter);
    return Math.max(initialRetry.toNanos(), (long) (remaining * factor));
  }

  /**
   * {@code backoff}, or less while the current certificate is valid: at most a quarter of the time it
   * has left (at least the first retry wait), so that the issuer is asked again before it expires and
   * more often as expiry nears. An expired certificate has nothing left to save: the backoff stands.
   */
  private Duration beforeExpiry(Duration backoff) {
    long left = lifetime != null ? lifetime.toNanos() - waitedNanos
        : TimeUnit.MILLISECONDS.toNanos(current.certificate().getNotAfter().getTime() - clock.millis());
    if (left <= 0) {
      return backoff;
    }
    long cap = Math.max(initialRetry.toNanos(), left / 4);
    return backoff.toNanos() > cap ? Duration.ofNanos(cap) : backoff;
  }

  private void schedule(long delayNanos) {
    if (!closed) {
      waitedNanos += delayNanos;
      pending = scheduler.schedule(this::renew, delayNanos, TimeUnit.NANOSECONDS);
    }
  }

  private void cancelPending() {
    if (pending != null) {
      pending.cancel();
      pending = null;
    }
  }
}
