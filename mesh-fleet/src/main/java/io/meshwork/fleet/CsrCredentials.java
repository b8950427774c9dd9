package io.meshwork.fleet;

import io.meshwork.MeshException;
import io.meshwork.controlplane.CertificateRevocationList;
import io.meshwork.fleet.api.DurationText;
import io.meshwork.fleet.api.SignRequest;
import io.meshwork.fleet.api.SignedCertificate;
import io.meshwork.security.CertificateBundle;
import io.meshwork.security.CertificateRenewal;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.time.Scheduler;
import io.meshwork.transport.TlsCredentials;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This workload's certificate from the control plane's CA, by CSR: a new key pair is made in this
 * process for every certificate (the private key never leaves it). A {@link CertificateRenewal}
 * renews it at half its lifetime (jittered by 10%), or at once when the fleet's revocation list names
 * it; a failed renewal is tried again with backoff while the current certificate serves; transports
 * take the new one for new connections. Peers are refused when the fleet's revocation list names them.
 */
final class CsrCredentials implements TlsCredentials, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CsrCredentials.class);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final WorkloadIdentity identity;
  private final Duration ttl;
  private final ControlPlaneClient client;
  private final CertificateRenewal renewal;
  private volatile CertificateRevocationList revocations = CertificateRevocationList.empty();

  CsrCredentials(WorkloadIdentity identity, Duration ttl, ControlPlaneClient client, ScheduledExecutorService executor) {
    this.identity = identity;
    this.ttl = ttl;
    this.client = client;
    Scheduler scheduler = (task, delay, unit) -> {
      ScheduledFuture<?> scheduled = executor.schedule(task, delay, unit);
      return () -> scheduled.cancel(false);
    };
    this.renewal = CertificateRenewal.builder(() -> request(unusable()).thenApply(Issued::bundle), scheduler)
        .name(identity.toString()).retry(Duration.ofMillis(500), Duration.ofSeconds(30)).build();
  }

  /** Gets the first certificate, waiting up to {@code timeout}; schedules its renewal. */
  SignedCertificate start(Duration timeout) {
    try {
      Issued first = request(true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      renewal.start(first.bundle());
      return first.signed();
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
    return renewal.current();
  }

  @Override
  public long generation() {
    return renewal.generation();
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
    return current().trustAnchors();
  }

  /** The fleet's revocation list from now on; renews at once if it names this workload's certificate. */
  void revocations(CertificateRevocationList list) {
    revocations = list;
    if (list.isRevoked(current().certificate().getSerialNumber()) && !renewal.renewing()) {
      log.warn("{}: the control plane revoked this workload's certificate {}; getting a new one", identity,
          current().certificate().getSerialNumber().toString(16));
      renewal.renewNow();
    }
  }

  @Override
  public void close() {
    renewal.close();
  }

  /** A revoked or expired certificate no longer opens an mTLS connection: the token gets the new one. */
  private boolean unusable() {
    X509Certificate leaf = current().certificate();
    return revocations.isRevoked(leaf.getSerialNumber()) || leaf.getNotAfter().getTime() <= System.currentTimeMillis();
  }

  /** A new certificate; {@code bootstrap}: asked in plaintext with the token, as when there is none to use. */
  private CompletableFuture<Issued> request(boolean bootstrap) {
    KeyPair keys = SigningRequests.newKeyPair();
    SignRequest body = new SignRequest(SigningRequests.csrPem(identity, keys), DurationText.format(ttl));
    String path = "/api/v1/certificates/sign";
    return (bootstrap ? client.bootstrap("POST", path, body, SignedCertificate.class, REQUEST_TIMEOUT)
        : client.exchange("POST", path, body, SignedCertificate.class, REQUEST_TIMEOUT)).thenApply(signed -> {
          List<X509Certificate> chain = SigningRequests.certificates(signed.certificateChain(), "certificate chain");
          List<X509Certificate> roots = SigningRequests.certificates(signed.caCertificate(), "CA certificate");
          log.info("{}: certificate {} from the control plane, valid until {}", identity, signed.serial(),
              signed.notAfter());
          return new Issued(signed, CertificateBundle.of(keys.getPrivate(), chain, roots));
        });
  }

  /** A certificate as the control plane signed it, and the bundle made of it with this process's key. */
  private record Issued(SignedCertificate signed, CertificateBundle bundle) {}
}
