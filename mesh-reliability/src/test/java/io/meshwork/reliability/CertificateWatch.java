package io.meshwork.reliability;

import io.meshwork.Mesh;
import io.meshwork.telemetry.MetricFamily;
import io.meshwork.telemetry.MetricSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The certificates of a row's meshes as an operator watches them: each mesh's
 * {@value #GAUGE} gauge, read every {@value #EVERY_MILLIS} ms on a thread of its own (a renewal
 * raises no event to wait on). It keeps each mesh's least time to expiry, so that a certificate
 * that ran out at any moment of the row is known.
 */
final class CertificateWatch implements AutoCloseable {

  private static final String GAUGE = "meshwork.certificate.time_to_expiry";
  private static final long EVERY_MILLIS = 50;

  private final Map<String, Mesh> meshes = new ConcurrentHashMap<>();
  private final Map<String, Double> least = new ConcurrentHashMap<>();
  private final Thread sampler = new Thread(this::sampleInALoop, "certificate-watch");
  private volatile boolean closed;

  CertificateWatch() {
    sampler.setDaemon(true);
    sampler.start();
  }

  /** Watches {@code mesh}'s certificate from now on, under {@code name}. */
  void add(String name, Mesh mesh) {
    secondsLeft(mesh); // fails now if the mesh has no certificate
    meshes.put(name, mesh);
  }

  /**
   * Waits until the certificate with the least time left among those watched has between {@code left}
   * less 2 s and {@code left} to live (when one has less, until its renewal moves it past), or fails
   * after {@code bound}.
   */
  void awaitLeastSecondsLeft(Duration left, Duration bound) {
    double most = left.toMillis() / 1000.0;
    await(bound, () -> {
      double least = meshes.values().stream().mapToDouble(CertificateWatch::secondsLeft).min().orElseThrow();
      return least <= most && least > most - 2;
    }, () -> "the certificates expire at " + expiries() + "; expected the first between " + (most - 2) + " and "
        + most + " s from now");
  }

  /**
   * Waits until each of {@code names} holds a certificate that expires after {@code instant}, that is
   * one issued later than a certificate expiring then could have been; fails after {@code bound}.
   */
  void awaitExpiringAfter(List<String> names, Instant instant, Duration bound) {
    Predicate<String> renewed = name -> expiry(meshes.get(name)).isAfter(instant);
    await(bound, () -> names.stream().allMatch(renewed), () -> "certificates expiring after " + instant
        + " expected of " + names + "; they expire at " + expiries());
  }

  /** The meshes whose certificate ran out at some moment, with the least time to expiry seen (seconds). */
  Map<String, Double> expired() {
    sample();
    Map<String, Double> expired = new TreeMap<>();
    least.forEach((name, seconds) -> {
      if (seconds <= 0) {
        expired.put(name, seconds);
      }
    });
    return expired;
  }

  /** When each mesh's certificate expires now. */
  Map<String, Instant> expiries() {
    Map<String, Instant> expiries = new TreeMap<>();
    meshes.forEach((name, mesh) -> expiries.put(name, expiry(mesh)));
    return expiries;
  }

  @Override
  public void close() {
    closed = true;
    try {
      sampler.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void sampleInALoop() {
    while (!closed) {
      sample();
      LockSupport.parkNanos(EVERY_MILLIS * 1_000_000);
    }
  }

  private void sample() {
    meshes.forEach((name, mesh) -> least.merge(name, secondsLeft(mesh), Math::min));
  }

  private static Instant expiry(Mesh mesh) {
    return Instant.now().plusMillis((long) (secondsLeft(mesh) * 1000));
  }

  private static double secondsLeft(Mesh mesh) {
    MetricFamily family = mesh.metrics().family(GAUGE);
    if (family == null || family.series().size() != 1) {
      throw new AssertionError(mesh + " has no " + GAUGE + " gauge: it has no certificate");
    }
    MetricSeries series = family.series().iterator().next();
    return series.value();
  }

  private static void await(Duration bound, BooleanSupplier condition, Supplier<String> describe) {
    long end = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        throw new AssertionError(describe.get() + " (not within " + bound + ")");
      }
      LockSupport.parkNanos(EVERY_MILLIS * 1_000_000);
    }
  }
}
