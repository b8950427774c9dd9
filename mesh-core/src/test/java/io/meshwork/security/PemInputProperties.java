package io.meshwork.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever bytes sit in a PEM file, the loaders either succeed or throw InvalidCertificateException:
 * never a raw NullPointerException, ClassCastException or Bouncy Castle exception.
 */
class PemInputProperties {

  private static Path dir;
  private static String validKeyPem;
  private static String validChainPem;
  private static byte[] validCertificateDer;

  @BeforeContainer
  static void setUp() throws Exception {
    dir = Files.createTempDirectory("pem-properties");
    CertificateAuthority ca = CertificateAuthority.create("cluster.local");
    IssuedCertificate issued = ca.issue(WorkloadIdentity.of("cluster.local", "prod", "api"), Duration.ofHours(1));
    validKeyPem = issued.privateKeyPem();
    validChainPem = issued.chainPem();
    validCertificateDer = issued.certificate().getEncoded();
    write("valid-key.pem", validKeyPem.getBytes(StandardCharsets.US_ASCII));
    write("valid-chain.pem", validChainPem.getBytes(StandardCharsets.US_ASCII));
  }

  @AfterContainer
  static void tearDown() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  @Property(tries = 300)
  void arbitraryBytes(@ForAll byte[] bytes) {
    loadEveryWay(bytes);
  }

  @Property(tries = 300)
  void pemBlocksWithArbitraryContent(@ForAll("pemBlocks") String text) {
    loadEveryWay(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Property(tries = 300)
  void validPemWithCharactersChanged(@ForAll("mutatedValidPem") String text) {
    loadEveryWay(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Property(tries = 300)
  void certificateDerWithBytesChanged(@ForAll("mutatedCertificateDer") byte[] der) {
    loadEveryWay(PemFiles.encode("CERTIFICATE", der).getBytes(StandardCharsets.US_ASCII));
  }

  private static void loadEveryWay(byte[] content) {
    Path file = write("input.pem", content);
    Path validKey = dir.resolve("valid-key.pem");
    Path validChain = dir.resolve("valid-chain.pem");
    List<Runnable> loads = List.of(
        () -> PemFiles.readCertificates(file),
        () -> PemFiles.readPrivateKey(file),
        () -> CertificateAuthority.load(file, file),
        () -> CertificateAuthority.load(file, validKey),
        () -> CertificateAuthority.load(validChain, file),
        () -> CertificateBundle.load(file, file, file),
        () -> CertificateBundle.load(file, validChain, validChain),
        () -> CertificateBundle.load(validKey, file, validChain));
    for (Runnable load : loads) {
      try {
        load.run();
      } catch (RuntimeException e) {
        assertThat(e).as("what a loader threw").isInstanceOf(InvalidCertificateException.class);
        assertThat(e.getMessage()).as("the message names the file").contains(dir.toString());
      }
    }
  }

  private static Path write(String name, byte[] content) {
    try {
      return Files.write(dir.resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Provide
  Arbitrary<String> pemBlocks() {
    Arbitrary<String> types = Arbitraries.oneOf(
        Arbitraries.of("CERTIFICATE", "X509 CERTIFICATE", "PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY",
            "ENCRYPTED PRIVATE KEY", "X509 CRL", "EC PARAMETERS", "PUBLIC KEY"),
        Arbitraries.strings().ofMaxLength(12));
    Arbitrary<String> bodies = Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(b -> Base64.getMimeEncoder().encodeToString(b)),
        // Something that starts like DER: a SEQUENCE with an arbitrary length and content.
        Arbitraries.bytes().array(byte[].class).ofMaxSize(300)
            .map(b -> Base64.getEncoder().encodeToString(concat(new byte[] {0x30, (byte) b.length}, b))),
        Arbitraries.strings().ofMaxLength(200));
    Arbitrary<String> headers = Arbitraries.of("", "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n", "X: y\n");
    return Combinators.combine(types, headers, bodies, Arbitraries.of(true, false))
        .as((type, header, body, closed) -> "-----BEGIN " + type + "-----\n" + header + body + "\n"
            + (closed ? "-----END " + type + "-----\n" : ""))
        .list().ofMinSize(1).ofMaxSize(3).map(blocks -> String.join("", blocks));
  }

  @Provide
  Arbitrary<String> mutatedValidPem() {
    Arbitrary<String> valid = Arbitraries.of(validKeyPem, validChainPem, validChainPem + validKeyPem);
    return Combinators.combine(valid, Arbitraries.integers().between(0, 1_000_000),
            Arbitraries.chars().all(), Arbitraries.of("replace", "delete", "insert", "truncate"))
        .as((text, position, c, how) -> {
          int at = position % text.length();
          switch (how) {
            case "replace": return text.substring(0, at) + c + text.substring(at + 1);
            case "delete": return text.substring(0, at) + text.substring(at + 1);
            case "insert": return text.substring(0, at) + c + text.substring(at);
            default: return text.substring(0, at);
          }
        });
  }

  @Provide
  Arbitrary<byte[]> mutatedCertificateDer() {
    return Arbitraries.integers().between(0, 1_000_000).list().ofMinSize(1).ofMaxSize(4)
        .flatMap(positions -> Arbitraries.bytes().list().ofSize(positions.size()).map(values -> {
          byte[] der = validCertificateDer.clone();
          for (int i = 0; i < positions.size(); i++) {
            der[positions.get(i) % der.length] = values.get(i);
          }
          return der;
        }));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = new byte[a.length + b.length];
    System.arraycopy(a, 0, joined, 0, a.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }
}
