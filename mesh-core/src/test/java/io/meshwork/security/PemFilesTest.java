package io.meshwork.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading keys and certificates in the PEM forms openssl and other tools write, and refusing the rest. */
class PemFilesTest {

  private static final WorkloadIdentity API = WorkloadIdentity.of("cluster.local", "prod", "api");
  private static CertificateAuthority ca;
  private static IssuedCertificate issued;

  @TempDir Path dir;

  @BeforeAll
  static void issue() {
    ca = CertificateAuthority.create("cluster.local");
    issued = ca.issue(API, Duration.ofHours(1));
  }

  @Test
  void certificatesRoundTripInOrder() {
    Path file = Openssl.write(dir, "chain.pem", issued.chainPem());

    List<X509Certificate> read = PemFiles.readCertificates(file);

    assertThat(read).containsExactlyElementsOf(issued.chain());
    assertThat(PemFiles.toPem(read)).isEqualTo(issued.chainPem());
  }

  @Test
  void readsTheKeyFormatsOpensslWrites() {
    Openssl.check(dir, "ecparam", "-name", "prime256v1", "-genkey", "-out", "ec-traditional.pem");
    Openssl.check(dir, "genrsa", "-traditional", "-out", "rsa-traditional.pem", "2048");
    Openssl.check(dir, "pkey", "-in", "rsa-traditional.pem", "-out", "rsa-pkcs8.pem");

    assertThat(Files.exists(dir.resolve("ec-traditional.pem"))).isTrue();
    assertThat(PemFiles.readPrivateKey(dir.resolve("ec-traditional.pem")).getAlgorithm()).isEqualTo("EC");
    assertThat(PemFiles.readPrivateKey(dir.resolve("rsa-traditional.pem")).getAlgorithm()).isEqualTo("RSA");
    assertThat(PemFiles.readPrivateKey(dir.resolve("rsa-pkcs8.pem")).getAlgorithm()).isEqualTo("RSA");
  }

  @Test
  void keyAndCertificatesMayShareAFileWithOtherBlocks() {
    Path file = Openssl.write(dir, "all.pem", "-----BEGIN SOMETHING ELSE-----\nAAAA\n-----END SOMETHING ELSE-----\n"
        + issued.privateKeyPem() + "comment line\n" + issued.chainPem());

    assertThat(PemFiles.readCertificates(file)).containsExactlyElementsOf(issued.chain());
    assertThat(PemFiles.readPrivateKey(file)).isEqualTo(issued.privateKey());
  }

  @Test
  void refusesTwoKeysInOneFile() {
    Path file = Openssl.write(dir, "keys.pem", issued.privateKeyPem() + issued.privateKeyPem());

    assertThatThrownBy(() -> PemFiles.readPrivateKey(file))
        .isInstanceOf(InvalidCertificateException.class)
        .hasMessage(file + ": more than one private key (expected: exactly one)");
  }

  @Test
  void refusesAnEmptyFileADirectoryAndAnOversizedFile() throws Exception {
    Path empty = Openssl.write(dir, "empty.pem", "");
    Path directory = Files.createDirectory(dir.resolve("sub"));
    Path huge = Files.write(dir.resolve("huge.pem"), new byte[PemFiles.MAX_FILE_BYTES + 1]);

    assertThatThrownBy(() -> PemFiles.readCertificates(empty))
        .isInstanceOf(InvalidCertificateException.class).hasMessageStartingWith(empty + ": no certificate found");
    assertThatThrownBy(() -> PemFiles.readPrivateKey(empty))
        .isInstanceOf(InvalidCertificateException.class).hasMessageStartingWith(empty + ": no private key found");
    assertThatThrownBy(() -> PemFiles.readCertificates(directory))
        .isInstanceOf(InvalidCertificateException.class).hasMessageStartingWith(directory + ": cannot be read");
    assertThatThrownBy(() -> PemFiles.readCertificates(huge))
        .isInstanceOf(InvalidCertificateException.class)
        .hasMessage(huge + ": more than 1048576 bytes (expected: at most 1048576 bytes of PEM text)");
    assertThatThrownBy(() -> PemFiles.readCertificates(Path.of("/dev/zero")))
        .as("an endless device").isInstanceOf(InvalidCertificateException.class)
        .hasMessageStartingWith("/dev/zero: more than 1048576 bytes");
  }

  @Test
  void refusesBlocksWhoseContentIsNotWhatTheirTypeSays() {
    Path certificate = Openssl.write(dir, "cert.pem", "-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n");
    Path key = Openssl.write(dir, "key.pem", "-----BEGIN PRIVATE KEY-----\nMAMCAQE=\n-----END PRIVATE KEY-----\n");
    Path unterminated = Openssl.write(dir, "open.pem", "-----BEGIN CERTIFICATE-----\nMAMCAQE=\n");

    assertThatThrownBy(() -> PemFiles.readCertificates(certificate))
        .isInstanceOf(InvalidCertificateException.class)
        .hasMessageStartingWith(certificate + ": certificate #1 is not a valid X.509 certificate");
    assertThatThrownBy(() -> PemFiles.readPrivateKey(key))
        .isInstanceOf(InvalidCertificateException.class)
        .hasMessageStartingWith(key + ": 'PRIVATE KEY' block is not a valid private key");
    assertThatThrownBy(() -> PemFiles.readCertificates(unterminated))
        .isInstanceOf(InvalidCertificateException.class)
        .hasMessageStartingWith(unterminated + ": not valid PEM");
  }

  @Test
  void refusesKeysOfOtherAlgorithms() {
    Openssl.check(dir, "genpkey", "-algorithm", "ed25519", "-out", "ed.pem");
    Path file = dir.resolve("ed.pem");

    assertThatThrownBy(() -> PemFiles.readPrivateKey(file))
        .isInstanceOf(InvalidCertificateException.class)
        .hasMessageStartingWith(file + ": ")
        .hasMessageContaining("(expected: ");
  }
}
