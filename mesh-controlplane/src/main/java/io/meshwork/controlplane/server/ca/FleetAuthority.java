package io.meshwork.controlplane.server.ca;

import io.meshwork.controlplane.server.store.EtcdStateStore;
import io.meshwork.controlplane.server.store.OwnerOnly;
import io.meshwork.controlplane.server.store.StateStore;
import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.PemFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet's certificate authority: the built-in {@link CertificateAuthority} (issue, revoke, CRL)
 * and the {@link CsrSigner} over the same key. Its root and key are made on the first start and kept
 * in the data directory ({@code ca/ca.pem}, {@code ca/ca-key.pem}, the key owner-only); with etcd,
 * the first controller to start stores them under {@code ca/} so that every controller signs with
 * the same root.
 */
public final class FleetAuthority {

  private static final Logger log = LoggerFactory.getLogger(FleetAuthority.class);
  static final String CERTIFICATE_KEY = "ca/certificate";
  static final String PRIVATE_KEY_KEY = "ca/key";

  private final CertificateAuthority authority;
  private final CsrSigner signer;
  private final String fingerprint;
  private final List<X509Certificate> chain;

  private FleetAuthority(Path directory) {
    Path certificate = directory.resolve(CertificateAuthority.CERTIFICATE_FILE);
    Path key = directory.resolve(CertificateAuthority.PRIVATE_KEY_FILE);
    this.authority = CertificateAuthority.load(certificate, key);
    List<X509Certificate> chain = PemFiles.readCertificates(certificate);
    PrivateKey privateKey = PemFiles.readPrivateKey(key);
    this.signer = new CsrSigner(privateKey, chain.get(0));
    this.chain = List.copyOf(chain);
    this.fingerprint = fingerprintOf(authority.rootCertificate());
  }

  /**
   * The CA of the fleet: the one in {@code directory}, or in etcd when {@code store} is one, or a new
   * one for {@code trustDomain}.
   */
  public static FleetAuthority open(Path directory, StateStore store, String trustDomain) {
    try {
      Files.createDirectories(directory);
      if (store instanceof EtcdStateStore etcd) {
        shareThroughEtcd(directory, etcd, trustDomain);
      } else if (!Files.exists(directory.resolve(CertificateAuthority.CERTIFICATE_FILE))) {
        CertificateAuthority.create(trustDomain).save(directory);
        log.info("made a new certificate authority for trust domain {} in {}", trustDomain, directory);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use the CA directory " + directory, e);
    }
    FleetAuthority authority = new FleetAuthority(directory);
    String domain = authority.authority.trustDomain().orElse(trustDomain);
    if (!domain.equals(trustDomain)) {
      throw new IllegalStateException("the CA in " + directory + " issues for trust domain " + domain
          + ", not " + trustDomain + " (expected: the same --trust-domain as when it was made)");
    }
    return authority;
  }

  private static void shareThroughEtcd(Path directory, EtcdStateStore etcd, String trustDomain) throws IOException {
    Map<String, String> known = etcd.load();
    if (!known.containsKey(CERTIFICATE_KEY)) {
      Path fresh = Files.createTempDirectory(directory, "new-ca");
      CertificateAuthority.create(trustDomain).save(fresh);
      String certificate = Files.readString(fresh.resolve(CertificateAuthority.CERTIFICATE_FILE));
      String key = Files.readString(fresh.resolve(CertificateAuthority.PRIVATE_KEY_FILE));
      boolean stored = etcd.putAllIfAbsent(Map.of(CERTIFICATE_KEY, certificate, PRIVATE_KEY_KEY, key)).join();
      log.info(stored ? "made the fleet's certificate authority and stored it in etcd"
          : "another controller stored the fleet's certificate authority first; using it");
      Files.delete(fresh.resolve(CertificateAuthority.PRIVATE_KEY_FILE));
      Files.delete(fresh.resolve(CertificateAuthority.CERTIFICATE_FILE));
      Files.delete(fresh);
    }
    String certificate;
    String key;
    try {
      certificate = etcd.read(CERTIFICATE_KEY);
      key = etcd.read(PRIVATE_KEY_KEY);
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the fleet's CA from etcd: " + e.getMessage(), e);
    }
    write(directory.resolve(CertificateAuthority.CERTIFICATE_FILE), certificate);
    write(directory.resolve(CertificateAuthority.PRIVATE_KEY_FILE), key);
  }

  private static void write(Path file, String content) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temporary);
    Files.createFile(temporary, OwnerOnly.FILE);
    Files.writeString(temporary, content, StandardCharsets.US_ASCII);
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The built-in CA: issue, revoke, the CRL. */
  public CertificateAuthority authority() {
    return authority;
  }

  /** The CA's certificates, the signing one first and the root last. */
  public List<X509Certificate> chain() {
    return chain;
  }

  /** The signer of CSRs, with the same key. */
  public CsrSigner signer() {
    return signer;
  }

  /** The SHA-256 fingerprint of the root, {@code AB:CD:...}, as {@code openssl x509 -fingerprint -sha256} prints it. */
  public String fingerprint() {
    return fingerprint;
  }

  static String fingerprintOf(X509Certificate certificate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
