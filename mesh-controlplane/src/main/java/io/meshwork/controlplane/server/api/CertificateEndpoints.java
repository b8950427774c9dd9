package io.meshwork.controlplane.server.api;

import io.meshwork.MeshResponse;
import io.meshwork.controlplane.server.ca.CsrSigner;
import io.meshwork.controlplane.server.state.CertificateRecord;
import io.meshwork.fleet.api.DurationText;
import io.meshwork.fleet.api.FieldError;
import io.meshwork.fleet.api.SignRequest;
import io.meshwork.fleet.api.SignedCertificate;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.security.IssuedCertificate;
import io.meshwork.security.PemFiles;
import io.meshwork.security.WorkloadIdentity;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * Certificates: the CA's root and CRL, signing a workload's CSR, the seeds' issue (which makes the
 * key here, so only an admin may), the list, and revocation by serial or by identity.
 */
final class CertificateEndpoints {

  private final ApiContext context;

  CertificateEndpoints(ApiContext context) {
    this.context = context;
  }

  CompletableFuture<MeshResponse> ca(Call call) {
    return StatusEndpoints.done(Responses.text("application/x-pem-file", context.authority().authority()
        .rootCertificatePem()));
  }

  CompletableFuture<MeshResponse> crl(Call call) {
    return StatusEndpoints.done(Responses.text("application/x-pem-file", context.views().crl()));
  }

  /** {@code POST /api/v1/certificates/sign}: a certificate for the key in the CSR, for an identity the caller may act as. */
  CompletableFuture<MeshResponse> sign(Call call) {
    SignRequest body = call.body(SignRequest.class);
    PKCS10CertificationRequest csr = CsrSigner.parse(body.csr());
    WorkloadIdentity identity = CsrSigner.requestedIdentity(csr);
    if (!identity.trustDomain().equals(context.trustDomain())) {
      throw new FieldError("csr", identity.spiffeId(), "an identity of trust domain " + context.trustDomain());
    }
    call.requireActingAs(identity.namespace(), identity.service());
    Instant now = Instant.now();
    Duration ttl = ttl(body.ttl());
    X509Certificate leaf = context.authority().signer().sign(csr, identity, now, now.plus(ttl));
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(leaf);
    chain.addAll(context.authority().chain());
    return record(leaf, identity, "csr").thenApply(done -> Responses.ok(new SignedCertificate(identity.spiffeId(),
        leaf.getSerialNumber().toString(16), PemFiles.toPem(leaf), PemFiles.toPem(chain),
        context.authority().authority().rootCertificatePem(), leaf.getNotAfter().toInstant().toString(),
        context.serverIdentity())));
  }

  /** {@code POST /api/v1/certificates/issue}: the seeds' form, {@code private_key, certificate, ca_certificate}. */
  CompletableFuture<MeshResponse> issue(Call call) {
    IssueRequest body = call.body(IssueRequest.class);
    WorkloadIdentity identity = identity(body);
    IssuedCertificate issued = context.authority().authority().issue(identity, ttl(body.ttl()));
    return record(issued.certificate(), identity, "issue").thenApply(done -> {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("service_name", identity.service());
      answer.put("namespace", identity.namespace());
      answer.put("spiffe_id", identity.spiffeId());
      answer.put("serial", issued.serial().toString(16));
      answer.put("private_key", issued.privateKeyPem());
      answer.put("certificate", issued.certificatePem());
      answer.put("certificate_chain", issued.chainPem());
      answer.put("ca_certificate", context.authority().authority().rootCertificatePem());
      answer.put("expires_at", issued.notAfter().toString());
      return Responses.ok(answer);
    });
  }

  /** {@code GET /api/v1/certificates}, optionally only those of {@code ?namespace=&service_name=}. */
  CompletableFuture<MeshResponse> list(Call call) {
    List<CertificateRecord> certificates = new ArrayList<>();
    for (CertificateRecord record : context.state().certificates()) {
      if ((call.query("namespace") == null || call.query("namespace").equals(record.namespace()))
          && (call.query("service_name") == null || call.query("service_name").equals(record.serviceName()))) {
        certificates.add(record);
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("certificates", certificates);
    body.put("total", certificates.size());
    return StatusEndpoints.done(Responses.ok(body));
  }

  /** {@code DELETE /api/v1/certificates/{serial}}: revoked fleet-wide from the next handshake on. */
  CompletableFuture<MeshResponse> revoke(Call call) {
    String serial = normalize(call.path("serial"));
    CertificateRecord record = context.state().certificate(serial);
    if (record == null) {
      throw ApiError.notFound("certificate " + serial);
    }
    if (record.isRevoked()) {
      return StatusEndpoints.done(Responses.status("revoked", "serial", serial, "revoked_at", record.revokedAt()));
    }
    String when = Instant.now().toString();
    return context.state().putCertificate(record.revoked(when))
        .thenApply(done -> Responses.status("revoked", "serial", serial, "revoked_at", when));
  }

  /** {@code DELETE /api/v1/certificates/identity/{namespace}/{service}}: every certificate of that workload. */
  CompletableFuture<MeshResponse> revokeIdentity(Call call) {
    String namespace = call.path("namespace");
    String service = call.path("service");
    String when = Instant.now().toString();
    List<String> serials = new ArrayList<>();
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    for (CertificateRecord record : context.state().certificates()) {
      if (record.namespace().equals(namespace) && record.serviceName().equals(service) && !record.isRevoked()) {
        serials.add(record.serial());
        writes.add(context.state().putCertificate(record.revoked(when)));
      }
    }
    return CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0])).thenApply(done ->
        Responses.status("revoked", "namespace", namespace, "service_name", service, "serials", serials));
  }

  private CompletableFuture<Void> record(X509Certificate leaf, WorkloadIdentity identity, String method) {
    return context.state().putCertificate(new CertificateRecord(leaf.getSerialNumber().toString(16),
        identity.spiffeId(), identity.namespace(), identity.service(), leaf.getNotBefore().toInstant().toString(),
        leaf.getNotAfter().toInstant().toString(), method, null));
  }

  private WorkloadIdentity identity(IssueRequest body) {
    String service = body.serviceName();
    String namespace = body.namespace() == null ? ServiceInstance.DEFAULT_NAMESPACE : body.namespace();
    try {
      ServiceInstance.checkName("service_name", service == null ? "" : service);
    } catch (IllegalArgumentException e) {
      throw new FieldError("service_name", service, "a service name: letters, digits, '.', '_' or '-'");
    }
    try {
      ServiceInstance.checkName("namespace", namespace);
    } catch (IllegalArgumentException e) {
      throw new FieldError("namespace", namespace, "a namespace: letters, digits, '.', '_' or '-'");
    }
    return WorkloadIdentity.of(context.trustDomain(), namespace, service);
  }

  private Duration ttl(String text) {
    if (text == null) {
      return context.maxCertificateTtl();
    }
    Duration asked = DurationText.parse("ttl", text);
    if (asked.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new FieldError("ttl", text, "at least 1m");
    }
    return asked.compareTo(context.maxCertificateTtl()) > 0 ? context.maxCertificateTtl() : asked;
  }

  private static String normalize(String serial) {
    try {
      BigInteger value = new BigInteger(serial, 16);
      if (value.signum() <= 0) {
        throw new NumberFormatException("not positive");
      }
      return value.toString(16);
    } catch (NumberFormatException e) {
      throw new FieldError("serial", serial, "a certificate serial in hexadecimal, as GET /api/v1/certificates lists it");
    }
  }
}
