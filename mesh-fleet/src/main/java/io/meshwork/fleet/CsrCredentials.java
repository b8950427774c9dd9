package io.meshwork.fleet;

import io.meshwork.MeshException;
import io.meshwork.controlplane.CertificateRevocationList;
import io.meshwork.fleet.api.DurationText;
import io.meshwork.fleet.api.SignRequest;
import io.meshwork.fleet.api.SignedCertificate;
import io.meshwork.security.CertificateBundle;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.transport.TlsCredentials;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This workload's certificate from the control plane's CA, by CSR: a new key pair is made in this
 * process for every certificate (the private key never leaves it), and the certificate is renewed at
 * half its lifetime (jittered by 10%), or at once when the fleet's revocation list names it. A failed
 * renewal is tried again with backoff while the current certificate serves; transports take the new
 * one for new connections. Peers are refused when the fleet's revocation list names them.
 */
final class CsrCredentials implements TlsCredentials, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CsrCredentials.class);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final WorkloadIdentity identity;
  private final Duration ttl;
  private final ControlPlaneClient client;
  private final ScheduledExecutorService executor;
  private volatile CertificateBundle current;
  private volatile long generation;
  private volatile CertificateRevocationList revocations = CertificateRevocationList.empty();
  private volatile ScheduledFuture<?> renewal;
  private volatile boolean closed;
  private volatile boolean renewing;
  private Duration retryDelay = Duration.ofMillis(500);

  CsrCredentials(WorkloadIdentity identity, Duration ttl, ControlPlaneClient client, ScheduledExecutorService executor) {
    this.identity = identity;
    this.ttl = ttl;
    this.client = client;
    this.executor = executor;
  }

  /** Gets the first certificate, waiting up to {@code timeout}; schedules its renewal. */
  SignedCertificate start(Duration timeout) {
    try {
      SignedCertificate signed = request(true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      scheduleRenewal();
      return signed;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MeshException(identity.service(), "interrupted while joining the control plane at " + client.uri());
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new MeshException(identity.service(), "cannot get a certificate from the control plane at "
          + client.uri() + ": " + cause.getMessage(), cause);
    }
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
  public boolean isRevoked(BigInteger serial) {
    return revocations.isRevoked(serial);
  }

  @Override
  public String trustDomain() {
    return identity.trustDomain();
  }

  /** The roots peers are checked against (the control plane's CA). */
  List<X509Certificate> trustAnchors() {
    return current.trustAnchors();
  }

  /** The fleet's revocation list from now on; renews at once if it names this workload's certificate. */
  void revocations(CertificateRevocationList list) {
    revocations = list;
    if (list.isRevoked(current.certificate().getSerialNumber()) && !renewing) {
      log.warn("{}: the control plane revoked this workload's certificate {}; getting a new one", identity,
          current.certificate().getSerialNumber().toString(16));
      renewNow();
    }
  }

  @Override
  public void close() {
    closed = true;
    ScheduledFuture<?> pending = renewal;
    if (pending != null) {
      pending.cancel(false);
    }
  }

  /** A new certificate; {@code bootstrap}: asked in plaintext with the token, as when there is none to use. */
  private CompletableFuture<SignedCertificate> request(boolean bootstrap) {
    KeyPair keys = SigningRequests.newKeyPair();
    SignRequest body = new SignRequest(SigningRequests.csrPem(identity, keys), DurationText.format(ttl));
    String path = "/api/v1/certificates/sign";
    return (bootstrap ? client.bootstrap("POST", path, body, SignedCertificate.class, REQUEST_TIMEOUT)
        : client.exchange("POST", path, body, SignedCertificate.class, REQUEST_TIMEOUT)).thenApply(signed -> {
          List<X509Certificate> chain = SigningRequests.certificates(signed.certificateChain(), "certificate chain");
          List<X509Certificate> roots = SigningRequests.certificates(signed.caCertificate(), "CA certificate");
          // The new bundle is visible before the new generation: transports read generation() first.
          current = CertificateBundle.of(keys.getPrivate(), chain, roots);
          generation++;
          log.info("{}: certificate {} from the control plane, valid until {}", identity, signed.serial(),
              signed.notAfter());
          return signed;
        });
  }

  private void renewNow() {
    ScheduledFuture<?> pending = renewal;
    if (pending != null) {
      pending.cancel(false);
    }
    renewal = executor.schedule(this::renew, 0, TimeUnit.MILLISECONDS);
  }

  private void renew() {
    if (closed) {
      return;
    }
    renewing = true;
    // A revoked or expired certificate no longer opens an mTLS connection: the token gets the new one.
    X509Certificate leaf = current.certificate();
    boolean unusable = revocations.isRevoked(leaf.getSerialNumber()) || leaf.getNotAfter().getTime() <= System.currentTimeMillis();
    request(unusable).whenCompleteAsync((signed, failure) -> {
      renewing = false;
      if (closed) {
        return;
      }
      if (failure == null) {
        retryDelay = Duration.ofMillis(500);
        scheduleRenewal();
        return;
      }
      log.warn("{}: certificate renewal failed, keeping the current one (valid until {}); trying again in {}: {}",
          identity, current.certificate().getNotAfter().toInstant(), retryDelay, failure.getMessage());
      renewal = executor.schedule(this::renew, retryDelay.toMillis(), TimeUnit.MILLISECONDS);
      retryDelay = retryDelay.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30)
          : retryDelay.multipliedBy(2);
    }, executor);
  }

  private void scheduleRenewal() {
    if (closed) {
      return;
    }
    X509Certificate leaf = current.certificate();
    long lifetime = leaf.getNotAfter().getTime() - leaf.getNotBefore().getTime();
    long half = (long) (lifetime / 2 * (1 + (ThreadLocalRandom.current().nextDouble() * 2 - 1) * 0.1));
    long due = leaf.getNotBefore().getTime() + half - System.currentTimeMillis();
    renewal = executor.schedule(this::renew, Math.max(0, due), TimeUnit.MILLISECONDS);
  }
}
