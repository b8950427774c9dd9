package io.meshwork.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving a CA to PEM files and loading it back, and every way loading refuses bad files. */
class CertificateAuthorityFilesTest {

  private static final WorkloadIdentity API = WorkloadIdentity.of("cluster.local", "prod", "api");

  @TempDir Path dir;

  private Path certFile() {
    return dir.resolve(CertificateAuthority.CERTIFICATE_FILE);
  }

  private Path keyFile() {
    return dir.resolve(CertificateAuthority.PRIVATE_KEY_FILE);
  }

  @Test
  void loadedAuthorityIssuesCertificatesTheSavedRootVerifies() throws Exception {
    CertificateAuthority original = CertificateAuthority.create("cluster.local");
    original.save(dir);

    CertificateAuthority loaded = CertificateAuthority.load(certFile(), keyFile());
    IssuedCertificate issued = loaded.issue(API, Duration.ofHours(1));

    assertThat(loaded.rootCertificate()).isEqualTo(original.rootCertificate());
    assertThat(loaded.rootCertificatePem()).isEqualTo(original.rootCertificatePem());
    assertThat(loaded.trustDomain()).contains("cluster.local");
    issued.certificate().verify(original.rootCertificate().getPublicKey());
    Openssl.write(dir, "leaf.pem", issued.certificatePem());
    assertThat(Openssl.check(dir, "verify", "-CAfile", CertificateAuthority.CERTIFICATE_FILE, "leaf.pem"))
        .contains("leaf.pem: OK");
  }

  @Test
  void keyFileIsOwnerOnlyEvenWhenReplacingAWorldReadableOne() throws Exception {
    Files.writeString(keyFile(), "old");
    Files.setPosixFilePermissions(keyFile(), PosixFilePermissions.fromString("rw-rw-rw-"));

    CertificateAuthority.create("cluster.local").save(dir);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile()))).isEqualTo("rw-------");
    assertThat(Files.readString(keyFile())).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Files.readString(certFile())).startsWith("-----BEGIN CERTIFICATE-----");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("no temporary file left behind")
          .containsExactlyInAnyOrder(CertificateAuthority.CERTIFICATE_FILE, CertificateAuthority.PRIVATE_KEY_FILE);
    }
  }

  @Test
  void saveCreatesTheDirectory() throws Exception {
    Path nested = dir.resolve("a/b");

    CertificateAuthority.create("cluster.local").save(nested);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
        nested.resolve(CertificateAuthority.PRIVATE_KEY_FILE)))).isEqualTo("rw-------");
  }

  @Test
  void missingFileIsNamed() {
    CertificateAuthority.create("cluster.local").save(dir);
    Path missing = dir.resolve("nope.pem");

    assertThatThrownBy(() -> CertificateAuthority.load(missing, keyFile()))
        .isInstanceOf(InvalidCertificateException.class)
        .hasMessage(missing + ": file not found")
        .satisfies(e -> assertThat(((InvalidCertificateException) e).file()).contains(missing));
    assertThatThrownBy(() -> CertificateAuthority.load(certFile(), missing))
        .isInstanceOf(InvalidCertificateException.class)
        .hasMessage(missing + ": file not found");
  }

  @Test
  void garbageIsNotACertificate() throws Exception {
    CertificateAuthority.create("cluster.local").save(dir);
    Files.writeString(certFile(), "hello, I am not a certificate\n");

    assertThatThrownBy(() -> CertificateAuthority.load(certFile(), keyFile()))
        .isInstanceOf(InvalidCertificateException.class)
        .hasMessageStartingWith(certFile() + ": no certificate found (expected: PEM blocks");
  }

  @Test
  void brokenBase64IsNotPem() throws Exception {
    CertificateAuthority.create("cluster.local").save(dir);
    Files.writeString(certFile(), "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n");

    assertThatThrownBy(() -> CertificateAuthority.load(certFile(), keyFile()))
        .isInstanceOf(InvalidCertificateException.class)
        .hasMessageStartingWith(certFile() + ": ");
  }

  @Test
  void keyOfAnotherAuthorityDoesNotMatch() {
    CertificateAuthority.create("cluster.local").save(dir);
    Path other = dir.resolve("other");
    CertificateAuthority.create("cluster.local").save(other);
    Path otherKey = other.resolve(CertificateAuthority.PRIVATE_KEY_FILE);

    assertThatThrownBy(() -> CertificateAuthority.load(certFile(), otherKey))
        .isInstanceOf(InvalidCertificateException.class)
        .hasMessage(otherKey + ": private key does not match the certificate"
            + " 'CN=Meshwork Root CA,O=cluster.local' (expected: the certificate's own key)");
  }

  @Test
  void rsaKeyDoesNotMatchAnEcCertificate() {
    CertificateAuthority ca = CertificateAuthority.create("cluster.local");
    ca.save(dir);
    Path rsaKey = Openssl.write(dir, "rsa.pem", ca.issue(API, Duration.ofHours(1), KeyAlgorithm.RSA_2048).privateKeyPem());

    assertThatThrownBy(() -> CertificateAuthority.load(certFile(), rsaKey))
        .isInstanceOf(InvalidCertificateException.class)
        .hasMessageContaining(rsaKey + ": private key of type RSA does not match the EC certificate");
  }

  @Test
  void leafCertificateIsNotACa() {
    IssuedCertificate leaf = CertificateAuthority.create("cluster.local").issue(API, Duration.ofHours(1));
    Path cert = Openssl.write(dir, "leaf.pem", leaf.certificatePem());
    Path key = Openssl.write(dir, "leaf-key.pem", leaf.privateKeyPem());

    assertThatThrownBy(() -> CertificateAuthority.load(cert, key))
        .isInstanceOf(InvalidCertificateException.class)
        .hasMessage(cert + ": certificate 'CN=api,OU=prod,O=cluster.local' is not a CA"
            + " (expected: basicConstraints CA=true)");
  }

  @Test
  void expiredAuthorityIsRefused() {
    Instant elevenYearsAgo = Instant.now().minus(Duration.ofDays(11 * 365));
    CertificateAuthority.create("cluster.local", Clock.fixed(elevenYearsAgo, ZoneOffset.UTC)).save(dir);

    assertThatThrownBy(() -> CertificateAuthority.load(certFile(), keyFile()))
        .isInstanceOf(InvalidCertificateException.class)
        .hasMessageContaining("is valid from").hasMessageContaining("(expected: valid now, ");
  }

  @Test
  void filesSwappedAreNamed() {
    CertificateAuthority.create("cluster.local").save(dir);

    assertThatThrownBy(() -> CertificateAuthority.load(keyFile(), certFile()))
        .isInstanceOf(InvalidCertificateException.class)
        .hasMessageStartingWith(keyFile() + ": no certificate found");
  }

  @Test
  void encryptedKeyIsRefusedAsSuch() {
    CertificateAuthority.create("cluster.local").save(dir);
    Openssl.check(dir, "pkey", "-in", CertificateAuthority.PRIVATE_KEY_FILE, "-aes256", "-passout", "pass:secret",
        "-out", "encrypted.pem");

    assertThatThrownBy(() -> CertificateAuthority.load(certFile(), dir.resolve("encrypted.pem")))
        .isInstanceOf(InvalidCertificateException.class)
        .hasMessageContaining("encrypted private key (expected: an unencrypted");
  }

  @Test
  void opensslMadeEcAndRsaRootsLoadAndIssue() {
    Openssl.check(dir, "ecparam", "-name", "prime256v1", "-genkey", "-out", "ec-key.pem");
    Openssl.check(dir, "req", "-x509", "-new", "-key", "ec-key.pem", "-out", "ec-root.pem", "-days", "30",
        "-subj", "/O=acme/CN=Acme EC Root", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    Openssl.check(dir, "genrsa", "-traditional", "-out", "rsa-key.pem", "2048");
    Openssl.check(dir, "req", "-x509", "-new", "-key", "rsa-key.pem", "-out", "rsa-root.pem", "-days", "30",
        "-subj", "/O=acme/CN=Acme RSA Root", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign");

    for (String kind : new String[] {"ec", "rsa"}) {
      CertificateAuthority ca = CertificateAuthority.load(dir.resolve(kind + "-root.pem"), dir.resolve(kind + "-key.pem"));
      assertThat(ca.trustDomain()).as("a root without a spiffe:// SAN names no trust domain").isEmpty();
      Openssl.write(dir, kind + "-leaf.pem", ca.issue(API, Duration.ofHours(1)).certificatePem());
      assertThat(Openssl.check(dir, "verify", "-CAfile", kind + "-root.pem", kind + "-leaf.pem")).contains(": OK");
      Openssl.write(dir, kind + "-crl.pem", ca.crlPem());
      assertThat(Openssl.check(dir, "crl", "-in", kind + "-crl.pem", "-CAfile", kind + "-root.pem", "-noout"))
          .contains("verify OK");
    }
  }

  @Test
  void intermediateAuthorityIssuesLeavesThatChainToTheRoot() throws Exception {
    Openssl.check(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "root-key.pem", "-out", "root.pem", "-days", "30", "-subj", "/CN=Root",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    Openssl.check(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "issuer-key.pem", "-out", "issuer.csr", "-subj", "/CN=Issuer");
    Openssl.write(dir, "ext.cnf", "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n"
        + "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n");
    Openssl.check(dir, "x509", "-req", "-in", "issuer.csr", "-CA", "root.pem", "-CAkey", "root-key.pem",
        "-CAcreateserial", "-days", "20", "-extfile", "ext.cnf", "-out", "issuer.pem");
    String issuerPem = Files.readString(dir.resolve("issuer.pem"));
    String rootPem = Files.readString(dir.resolve("root.pem"));
    Path chain = Openssl.write(dir, "chain.pem", issuerPem + rootPem);

    CertificateAuthority ca = CertificateAuthority.load(chain, dir.resolve("issuer-key.pem"));
    IssuedCertificate issued = ca.issue(API, Duration.ofHours(1));

    assertThat(issued.chain()).hasSize(3);
    assertThat(ca.rootCertificate().getSubjectX500Principal().getName()).isEqualTo("CN=Root");
    Openssl.write(dir, "leaf.pem", issued.certificatePem());
    assertThat(Openssl.check(dir, "verify", "-CAfile", "root.pem", "-untrusted", "issuer.pem", "leaf.pem"))
        .contains("leaf.pem: OK");
    assertThatThrownBy(() -> ca.issue(API, Duration.ofDays(25)))
        .as("no leaf outlives the intermediate").hasMessageStartingWith("ttl: PT600H (expected: <= ");

    Path reversed = Openssl.write(dir, "reversed.pem", rootPem + issuerPem);
    assertThatThrownBy(() -> CertificateAuthority.load(reversed, dir.resolve("root-key.pem")))
        .isInstanceOf(InvalidCertificateException.class)
        .hasMessageContaining("certificate #1 'CN=Root' is not issued by certificate #2");
  }
}
