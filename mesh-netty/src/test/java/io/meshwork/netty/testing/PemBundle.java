package io.meshwork.netty.testing;

import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.IssuedCertificate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A certificate, its key and the CA root an outside client trusts, written as PEM files for curl and
 * {@code openssl s_client}.
 *
 * @param key the private key (PKCS#8)
 * @param certificate the certificate chain, leaf first
 * @param trustedRoot the root certificate the client verifies the server with
 */
public record PemBundle(Path key, Path certificate, Path trustedRoot) {

  /** Writes {@code issued} and {@code trusted}'s root to {@code dir/name-*.pem}. */
  public static PemBundle write(Path dir, String name, IssuedCertificate issued, CertificateAuthority trusted)
      throws IOException {
    Path key = Files.writeString(dir.resolve(name + "-key.pem"), issued.privateKeyPem());
    Path certificate = Files.writeString(dir.resolve(name + "-cert.pem"), issued.chainPem());
    Path root = Files.writeString(dir.resolve(name + "-ca.pem"), trusted.rootCertificatePem());
    return new PemBundle(key, certificate, root);
  }
}
