package io.meshwork.etcd;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away CA, a server certificate for 127.0.0.1 and a client certificate, made with the real
 * openssl CLI inside the test's directory. Keys are PKCS#8 PEM, as Netty reads them.
 *
 * @param ca the CA certificate
 * @param serverCert etcd's certificate, valid for IP 127.0.0.1 (and as a client: etcd's own gateway
 *     dials etcd with it)
 * @param serverKey its key
 * @param clientCert the registry's certificate
 * @param clientKey its key
 */
record TestCertificates(Path ca, Path serverCert, Path serverKey, Path clientCert, Path clientKey) {

  /** Makes them in {@code dir}; fails the test when openssl is missing or fails. */
  static TestCertificates create(Path dir) throws IOException {
    Path ca = dir.resolve("ca.pem");
    Path caKey = dir.resolve("ca.key");
    openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", caKey.toString(), "-out", ca.toString(), "-days", "1", "-subj", "/CN=meshwork-test-ca");
    Path server = leaf(dir, "server",
        "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n", ca, caKey);
    Path client = leaf(dir, "client", "extendedKeyUsage=clientAuth\n", ca, caKey);
    return new TestCertificates(ca, server, dir.resolve("server.key"), client, dir.resolve("client.key"));
  }

  private static Path leaf(Path dir, String name, String extensions, Path ca, Path caKey) throws IOException {
    Path csr = dir.resolve(name + ".csr");
    Path ext = Files.writeString(dir.resolve(name + ".ext"), extensions);
    Path cert = dir.resolve(name + ".pem");
    openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", dir.resolve(name + ".key").toString(), "-out", csr.toString(), "-subj", "/CN=" + name);
    openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
        "-CAcreateserial", "-out", cert.toString(), "-days", "1", "-extfile", ext.toString());
    return cert;
  }

  private static void openssl(Path dir, String... args) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Path log = dir.resolve("openssl.log");
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new AssertionError("openssl " + String.join(" ", args) + " failed: " + Files.readString(log));
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
