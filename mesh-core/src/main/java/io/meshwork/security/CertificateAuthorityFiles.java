package io.meshwork.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Reads a CA's certificate and key from PEM files, checking them, and writes them back. */
final class CertificateAuthorityFiles {

  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private CertificateAuthorityFiles() {}

  /**
   * The credentials in {@code certificateFile} (the signing certificate first, then its issuers) and
   * {@code keyFile}, checked to be a CA valid at {@code now} whose key matches.
   */
  static IssuerCredentials load(Path certificateFile, Path keyFile, Instant now) {
    List<X509Certificate> chain = PemFiles.readCertificates(certificateFile);
    PrivateKey key = PemFiles.readPrivateKey(keyFile);
    X509Certificate signing = chain.get(0);
    String subject = signing.getSubjectX500Principal().getName();
    if (signing.getBasicConstraints() < 0) {
      throw new InvalidCertificateException(certificateFile, "certificate '" + subject
          + "' is not a CA (expected: basicConstraints CA=true)", null);
    }
    boolean[] keyUsage = signing.getKeyUsage();
    if (keyUsage != null && (keyUsage.length <= 5 || !keyUsage[5])) {
      throw new InvalidCertificateException(certificateFile, "certificate '" + subject
          + "' may not sign certificates (expected: keyUsage keyCertSign)", null);
    }
    Instant notBefore = signing.getNotBefore().toInstant();
    Instant notAfter = signing.getNotAfter().toInstant();
    if (now.isBefore(notBefore) || now.isAfter(notAfter)) {
      throw new InvalidCertificateException(certificateFile, "certificate '" + subject + "' is valid from "
          + notBefore + " to " + notAfter + " (expected: valid now, " + now + ")", null);
    }
    checkChain(chain, certificateFile);
    KeyPairCheck.requireMatch(key, signing, keyFile);
    return new IssuerCredentials(key, chain, SpiffeIds.trustDomainOf(signing));
  }

  /** Writes the chain to {@code certificateFile} and the key, owner-only, to {@code keyFile}. */
  static void save(IssuerCredentials credentials, Path certificateFile, Path keyFile) {
    try {
      Path directory = certificateFile.toAbsolutePath().getParent();
      Files.createDirectories(directory);
      Files.writeString(certificateFile, PemFiles.toPem(credentials.chain()), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(certificateFile + ": cannot write the CA certificate: " + e.getMessage(), e);
    }
    writeOwnerOnly(keyFile, PemFiles.toPem(credentials.key()));
  }

  /**
   * Writes {@code text} so that no moment exists when another user could read it: the file is created
   * owner-only (not restricted afterwards), filled, then moved over any old file in one rename.
   */
  static void writeOwnerOnly(Path file, String text) {
    Path directory = file.toAbsolutePath().getParent();
    Path temporary = null;
    try {
      Files.createDirectories(directory);
      boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
          && directory.getFileSystem().supportedFileAttributeViews().contains("posix");
      FileAttribute<?>[] attributes = posix
          ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
          : new FileAttribute<?>[0];
      // On a file system without POSIX permissions, a temporary file is already private to its owner.
      temporary = Files.createTempFile(directory, "." + file.getFileName(), ".tmp", attributes);
      Files.writeString(temporary, text, StandardCharsets.US_ASCII);
      try {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
      temporary = null;
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot write the private key: " + e.getMessage(), e);
    } finally {
      deleteQuietly(temporary);
    }
  }

  private static void checkChain(List<X509Certificate> chain, Path file) {
    for (int i = 0; i + 1 < chain.size(); i++) {
      X509Certificate child = chain.get(i);
      X509Certificate parent = chain.get(i + 1);
      boolean signed;
      try {
        child.verify(parent.getPublicKey());
        signed = child.getIssuerX500Principal().equals(parent.getSubjectX500Principal());
      } catch (Exception e) {
        signed = false;
      }
      if (!signed) {
        throw new InvalidCertificateException(file, "certificate #" + (i + 1) + " '"
            + child.getSubjectX500Principal().getName() + "' is not issued by certificate #" + (i + 2)
            + " (expected: the signing certificate first, then each issuer up to the root)", null);
      }
    }
  }

  private static void deleteQuietly(Path temporary) {
    if (temporary != null) {
      try {
        Files.deleteIfExists(temporary);
      } catch (IOException e) {
        // Nothing to add: the write already failed and that failure is what the caller sees.
      }
    }
  }
}
