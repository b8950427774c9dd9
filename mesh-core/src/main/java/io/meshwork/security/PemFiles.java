package io.meshwork.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * Reads certificates and private keys from PEM files and writes them as PEM text. Every failure to
 * read, whatever its cause, is an {@link InvalidCertificateException} naming the file.
 *
 * <p>Accepted: {@code CERTIFICATE} blocks, and unencrypted private keys as {@code PRIVATE KEY}
 * (PKCS#8), {@code EC PRIVATE KEY} or {@code RSA PRIVATE KEY}. Other blocks in the same file (a key
 * next to a certificate, {@code EC PARAMETERS}) are skipped.
 */
public final class PemFiles {

  /** Larger files are refused: no certificate chain or key comes close, and reading is bounded. */
  static final int MAX_FILE_BYTES = 1 << 20;

  private static final Base64.Encoder BASE64 =
      Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

  private PemFiles() {}

  /** Every certificate in {@code file}, in file order; there is at least one. */
  public static List<X509Certificate> readCertificates(Path file) {
    Objects.requireNonNull(file, "file");
    return parseCertificates(read(file), file);
  }

  /** The one private key in {@code file}. */
  public static PrivateKey readPrivateKey(Path file) {
    Objects.requireNonNull(file, "file");
    return parsePrivateKey(read(file), file);
  }

  /** {@code certificate} as one PEM {@code CERTIFICATE} block. */
  public static String toPem(X509Certificate certificate) {
    Objects.requireNonNull(certificate, "certificate");
    try {
      return encode("CERTIFICATE", certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new InvalidCertificateException("certificate " + certificate.getSubjectX500Principal()
          + " cannot be encoded", e);
    }
  }

  /** The certificates as consecutive PEM {@code CERTIFICATE} blocks, in list order. */
  public static String toPem(List<X509Certificate> certificates) {
    StringBuilder pem = new StringBuilder();
    for (X509Certificate certificate : certificates) {
      pem.append(toPem(certificate));
    }
    return pem.toString();
  }

  /** {@code key} as a PEM {@code PRIVATE KEY} (unencrypted PKCS#8) block. Handle with care. */
  public static String toPem(PrivateKey key) {
    Objects.requireNonNull(key, "key");
    byte[] der = key.getEncoded();
    if (der == null || !"PKCS#8".equals(key.getFormat())) {
      throw new InvalidCertificateException("a " + key.getAlgorithm()
          + " private key that cannot be exported (expected: a PKCS#8-encodable key)", null);
    }
    return encode("PRIVATE KEY", der);
  }

  static String encode(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + BASE64.encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  static byte[] read(Path file) {
    // Bounded read rather than size-then-read: a device or pipe reports no size and may never end.
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
      if (bytes.length > MAX_FILE_BYTES) {
        throw new InvalidCertificateException(file, "more than " + MAX_FILE_BYTES
            + " bytes (expected: at most " + MAX_FILE_BYTES + " bytes of PEM text)", null);
      }
      return bytes;
    } catch (NoSuchFileException e) {
      throw new InvalidCertificateException(file, "file not found", e);
    } catch (AccessDeniedException e) {
      throw new InvalidCertificateException(file, "permission denied", e);
    } catch (IOException | RuntimeException e) {
      if (e instanceof InvalidCertificateException invalid) {
        throw invalid;
      }
      throw new InvalidCertificateException(file, "cannot be read: " + e, e);
    }
  }

  static List<X509Certificate> parseCertificates(byte[] pem, Path file) {
    List<X509Certificate> certificates = new ArrayList<>();
    for (PemObject block : blocks(pem, file)) {
      if (block.getType().equals("CERTIFICATE") || block.getType().equals("X509 CERTIFICATE")) {
        certificates.add(decodeCertificate(block.getContent(), file, certificates.size()));
      }
    }
    if (certificates.isEmpty()) {
      throw new InvalidCertificateException(file,
          "no certificate found (expected: PEM blocks '-----BEGIN CERTIFICATE-----')", null);
    }
    return List.copyOf(certificates);
  }

  static PrivateKey parsePrivateKey(byte[] pem, Path file) {
    PrivateKey key = null;
    for (PemObject block : blocks(pem, file)) {
      PrivateKey found = PrivateKeyDecoder.decode(block, file);
      if (found != null && key != null) {
        throw new InvalidCertificateException(file, "more than one private key (expected: exactly one)", null);
      }
      key = found == null ? key : found;
    }
    if (key == null) {
      throw new InvalidCertificateException(file, "no private key found (expected: a PEM block"
          + " '-----BEGIN PRIVATE KEY-----', 'EC PRIVATE KEY' or 'RSA PRIVATE KEY')", null);
    }
    return key;
  }

  private static List<PemObject> blocks(byte[] pem, Path file) {
    // ISO-8859-1 maps every byte to a char, so decoding itself never fails on binary garbage.
    try (PemReader reader = new PemReader(new StringReader(new String(pem, StandardCharsets.ISO_8859_1)))) {
      List<PemObject> blocks = new ArrayList<>();
      for (PemObject block = reader.readPemObject(); block != null; block = reader.readPemObject()) {
        blocks.add(block);
      }
      return blocks;
    } catch (IOException | RuntimeException e) {
      // Bouncy Castle reports a bad block as IOException or as one of several runtime exceptions.
      throw new InvalidCertificateException(file, "not valid PEM: " + describe(e), e);
    }
  }

  /** A parser's complaint, for a message; some parsers throw exceptions with no message at all. */
  static String describe(Exception e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private static X509Certificate decodeCertificate(byte[] der, Path file, int index) {
    try {
      Certificate certificate = CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
      if (certificate instanceof X509Certificate x509) {
        return x509;
      }
      throw new InvalidCertificateException(file, "certificate #" + (index + 1)
          + " is of type " + certificate.getType() + " (expected: X.509)", null);
    } catch (InvalidCertificateException e) {
      throw e;
    } catch (Exception e) {
      throw new InvalidCertificateException(file, "certificate #" + (index + 1)
          + " is not a valid X.509 certificate: " + describe(e), e);
    }
  }
}
