package io.meshwork.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.time.FakeTicker;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * When the shared renewal schedule renews, retries and stops, driven by a {@link FakeTicker} (its
 * scheduler and, through the authority, its wall clock) with certificates from a real authority.
 */
class CertificateRenewalTest {

  private static final WorkloadIdentity API = WorkloadIdentity.of("cluster.local", "prod", "api");
  private static final Duration HOUR = Duration.ofHours(1);

  private final FakeTicker ticker = new FakeTicker();
  private final CertificateAuthority authority = CertificateAuthority.create("cluster.local", ticker.clock());
  private final AtomicInteger issued = new AtomicInteger();

  private CertificateBundle issue() {
    issued.incrementAndGet();
    return CertificateBundle.of(authority.issue(API, HOUR), authority);
  }

  private CertificateRenewal.Builder renewal(CertificateIssuer issuer) {
    return CertificateRenewal.builder(issuer, ticker).name(API.toString()).jitter(0).clock(ticker.clock());
  }

  @Test
  void renewsAtHalfTheLifetimeOfAFixedLifetime() {
    CertificateRenewal renewal = renewal(() -> CompletableFuture.completedFuture(issue())).lifetime(HOUR).build();
    CertificateBundle first = issue();
    renewal.start(first);

    ticker.advance(Duration.ofMinutes(29));
    assertThat(renewal.current()).isSameAs(first);
    assertThat(renewal.generation()).isZero();

    ticker.advance(Duration.ofMinutes(1));
    assertThat(renewal.generation()).isEqualTo(1);
    assertThat(serial(renewal)).isNotEqualTo(first.certificate().getSerialNumber());

    ticker.advance(Duration.ofMinutes(30)); // the next is due half a lifetime after the renewal
    assertThat(renewal.generation()).isEqualTo(2);
    assertThat(issued).hasValue(3);
    renewal.close();
  }

  @Test
  void measuresTheRemainingLifetimeOnTheClockWhenNoneIsFixed() {
    CertificateRenewal renewal = renewal(() -> CompletableFuture.completedFuture(issue())).renewAt(0.75).build();
    renewal.start(issue()); // valid for an hour from the fake clock's now

    ticker.advance(Duration.ofMinutes(44));
    assertThat(renewal.generation()).isZero();
    ticker.advance(Duration.ofMinutes(1));
    assertThat(renewal.generation()).isEqualTo(1);
    renewal.close();
  }

  @Test
  void retriesWithDoublingBackoffUpToTheMaximumAndKeepsTheCurrentCertificate() {
    List<Long> attempts = new ArrayList<>();
    AtomicInteger failuresLeft = new AtomicInteger(4);
    CertificateRenewal renewal = renewal(() -> {
      attempts.add(ticker.nanoTime());
      if (failuresLeft.getAndDecrement() > 0) {
        return CompletableFuture.failedFuture(new IllegalStateException("CA unreachable"));
      }
      return CompletableFuture.completedFuture(issue());
    }).lifetime(HOUR).retry(Duration.ofSeconds(1), Duration.ofSeconds(3)).build();
    CertificateBundle first = issue();
    renewal.start(first);

    ticker.advance(Duration.ofMinutes(30));
    assertThat(attempts).hasSize(1);
    assertThat(renewal.current()).isSameAs(first);
    ticker.advance(Duration.ofSeconds(10));

    long due = Duration.ofMinutes(30).toNanos();
    assertThat(attempts).containsExactly(due, due + seconds(1), due + seconds(3), due + seconds(6),
        due + seconds(9)); // waits of 1 s, 2 s, then 3 s (the maximum) twice
    assertThat(renewal.generation()).isEqualTo(1);

    // A success resets the backoff: the next failure waits the first interval again.
    failuresLeft.set(1);
    ticker.advance(Duration.ofMinutes(30));
    ticker.advance(Duration.ofSeconds(1));
    assertThat(attempts).hasSize(7);
    assertThat(renewal.generation()).isEqualTo(2);
    renewal.close();
  }

  @Test
  void aRetryNeverWaitsPastTheCertificatesExpiry() {
    // A one-minute certificate (the shortest the control plane signs) whose CA is away from its renewal
    // at 30 s to 50 s: the backoff alone would wait 16 s, then 30 s, and try again only at 61.5 s.
    Duration minute = Duration.ofMinutes(1);
    long due = seconds(30);
    List<Long> attempts = new ArrayList<>();
    CertificateRenewal renewal = renewal(() -> {
      attempts.add(ticker.nanoTime());
      if (ticker.nanoTime() < due + seconds(20)) {
        return CompletableFuture.failedFuture(new IllegalStateException("CA unreachable"));
      }
      return CompletableFuture.completedFuture(CertificateBundle.of(authority.issue(API, minute), authority));
    }).build(); // the CSR path's retries: 500 ms doubling to 30 s
    renewal.start(CertificateBundle.of(authority.issue(API, minute), authority));

    ticker.advance(minute.minusMillis(1));
    assertThat(renewal.generation()).as("renewed before the first certificate expired; attempts at %s ms",
        attempts.stream().map(nanos -> nanos / 1_000_000).toList()).isEqualTo(1);
    for (int i = 1; i < attempts.size(); i++) {
      long left = seconds(60) - attempts.get(i - 1);
      // A quarter of the time left at most (the clock reads whole milliseconds), never less than 500 ms.
      assertThat(attempts.get(i) - attempts.get(i - 1)).as("wait after attempt %d", i)
          .isLessThanOrEqualTo(Math.max(left / 4 + 1_000_000, Duration.ofMillis(500).toNanos()));
    }
    renewal.close();
  }

  @Test
  void aRetryNeverWaitsPastTheEndOfAFixedLifetime() {
    Duration minute = Duration.ofMinutes(1);
    AtomicInteger calls = new AtomicInteger();
    CertificateRenewal renewal = renewal(() -> {
      calls.incrementAndGet();
      if (ticker.nanoTime() < seconds(50)) {
        return CompletableFuture.failedFuture(new IllegalStateException("CA unreachable"));
      }
      return CompletableFuture.completedFuture(issue());
    }).lifetime(minute).retry(Duration.ofMillis(500), Duration.ofMinutes(5)).build();
    renewal.start(issue());

    ticker.advance(minute.minusMillis(1));
    assertThat(renewal.generation()).as("renewed within the lifetime, after %d attempts", calls.get()).isEqualTo(1);
    renewal.close();
  }

  @Test
  void anExpiredCertificateIsRetriedWithThePlainBackoff() {
    // Nothing left to save: the waits double up to the maximum again instead of trying every 500 ms.
    Duration minute = Duration.ofMinutes(1);
    List<Long> attempts = new ArrayList<>();
    CertificateRenewal renewal = renewal(() -> {
      attempts.add(ticker.nanoTime());
      return CompletableFuture.failedFuture(new IllegalStateException("CA unreachable"));
    }).build();
    renewal.start(CertificateBundle.of(authority.issue(API, minute), authority));

    ticker.advance(Duration.ofMinutes(5));
    List<Long> afterExpiry = attempts.stream().filter(nanos -> nanos > seconds(60)).toList();
    assertThat(afterExpiry).hasSizeGreaterThan(2);
    assertThat(afterExpiry.get(afterExpiry.size() - 1) - afterExpiry.get(afterExpiry.size() - 2))
        .isEqualTo(seconds(30));
    renewal.close();
  }

  @Test
  void anIssuerThatThrowsIsRetriedLikeOneThatFails() {
    AtomicInteger calls = new AtomicInteger();
    CertificateRenewal renewal = renewal(() -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("no key");
      }
      return CompletableFuture.completedFuture(issue());
    }).lifetime(HOUR).retry(Duration.ofSeconds(1), Duration.ofSeconds(1)).build();
    renewal.start(issue());

    ticker.advance(Duration.ofMinutes(30).plusSeconds(1));
    assertThat(calls).hasValue(2);
    assertThat(renewal.generation()).isEqualTo(1);
    renewal.close();
  }

  @Test
  void renewNowRenewsAtOnceAndOnlyOnceWhileARenewalIsUnderWay() {
    List<CompletableFuture<CertificateBundle>> requests = new ArrayList<>();
    CertificateRenewal renewal = renewal(pending(requests)).lifetime(HOUR).build();
    renewal.start(issue());

    renewal.renewNow();
    ticker.runDue();
    assertThat(requests).hasSize(1);
    assertThat(renewal.renewing()).isTrue();
    renewal.renewNow();
    ticker.runDue();
    assertThat(requests).hasSize(1);

    CertificateBundle next = issue();
    requests.get(0).complete(next);
    assertThat(renewal.current()).isSameAs(next);
    assertThat(renewal.renewing()).isFalse();
    // The renewal at half the lifetime was replaced by the one after the new certificate.
    ticker.advance(Duration.ofMinutes(29));
    assertThat(requests).hasSize(1);
    ticker.advance(Duration.ofMinutes(1));
    assertThat(requests).hasSize(2);
    renewal.close();
  }

  @Test
  void closeStopsTheScheduleAndDropsARenewalThatEndsAfterIt() {
    List<CompletableFuture<CertificateBundle>> requests = new ArrayList<>();
    CertificateRenewal renewal = renewal(pending(requests)).lifetime(HOUR).build();
    CertificateBundle first = issue();
    renewal.start(first);
    ticker.advance(Duration.ofMinutes(30));
    assertThat(requests).hasSize(1);

    renewal.close();
    requests.get(0).complete(issue());
    assertThat(renewal.current()).isSameAs(first);
    assertThat(renewal.generation()).isZero();
    assertThat(ticker.pendingTasks()).isZero();
    ticker.advance(Duration.ofHours(5));
    assertThat(requests).hasSize(1);
  }

  @Test
  void aClockAheadOfTheIssuerCannotMakeItRenewInALoop() {
    CertificateRenewal renewal = CertificateRenewal.builder(() -> CompletableFuture.completedFuture(issue()), ticker)
        .jitter(0).retry(Duration.ofSeconds(5), Duration.ofSeconds(5))
        .clock(Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC)).build(); // years ahead
    renewal.start(issue());

    ticker.advance(Duration.ofSeconds(4));
    assertThat(renewal.generation()).isZero();
    ticker.advance(Duration.ofSeconds(1));
    assertThat(renewal.generation()).isEqualTo(1);
    renewal.close();
  }

  @Test
  void startsOnce() {
    CertificateRenewal renewal = renewal(() -> CompletableFuture.completedFuture(issue())).lifetime(HOUR).build();
    renewal.start(issue());
    assertThatThrownBy(() -> renewal.start(issue())).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("start: already started");
    renewal.close();
  }

  @Test
  void builderRejectsBadValuesNamingTheField() {
    CertificateRenewal.Builder builder = renewal(() -> CompletableFuture.completedFuture(issue()));
    assertThatThrownBy(() -> builder.renewAt(1)).hasMessage("renewAt: 1.0 (expected: > 0 and < 1)");
    assertThatThrownBy(() -> builder.jitter(-0.1)).hasMessage("jitter: -0.1 (expected: >= 0 and < 1)");
    assertThatThrownBy(() -> builder.retry(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessage("retry initial: PT0S (expected: > 0)");
    assertThatThrownBy(() -> builder.retry(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessage("retry max: PT1S (expected: >= initial, PT2S)");
    assertThatThrownBy(() -> builder.lifetime(Duration.ofSeconds(-1))).hasMessage("lifetime: PT-1S (expected: > 0)");
  }

  /** An issuer whose requests stay pending, in {@code requests}, until the test completes them. */
  private static CertificateIssuer pending(List<CompletableFuture<CertificateBundle>> requests) {
    return () -> {
      CompletableFuture<CertificateBundle> request = new CompletableFuture<>();
      requests.add(request);
      return request;
    };
  }

  private static long seconds(long seconds) {
    return Duration.ofSeconds(seconds).toNanos();
  }

  private static BigInteger serial(CertificateRenewal renewal) {
    return renewal.current().certificate().getSerialNumber();
  }
}
