package io.meshwork.controlplane.server;

import io.meshwork.security.PemFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS client with a certificate the control plane issued, outside any mesh: connects afresh each
 * time (a new handshake), sends one request and reads the status line. A server that refuses the
 * certificate makes it fail (with TLS 1.3 the refusal arrives as the first read's alert).
 */
final class TlsProbe {

  private final SSLContext context;

  /** A client presenting the chain in {@code certificatePem} with {@code keyPem}, trusting {@code caPem}. */
  TlsProbe(Path directory, String certificatePem, String keyPem, String caPem) throws Exception {
    Path chainFile = Files.writeString(Files.createTempFile(directory, "chain", ".pem"), certificatePem);
    Path keyFile = Files.writeString(Files.createTempFile(directory, "key", ".pem"), keyPem);
    Path caFile = Files.writeString(Files.createTempFile(directory, "ca", ".pem"), caPem);
    List<X509Certificate> chain = PemFiles.readCertificates(chainFile);
    PrivateKey key = PemFiles.readPrivateKey(keyFile);
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("me", key, new char[0], chain.toArray(X509Certificate[]::new));
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, new char[0]);
    KeyStore anchors = KeyStore.getInstance("PKCS12");
    anchors.load(null, null);
    anchors.setCertificateEntry("ca", PemFiles.readCertificates(caFile).get(0));
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(anchors);
    context = SSLContext.getInstance("TLS");
    context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
  }

  /** The status line of {@code GET path} over a new connection; throws when the server refuses us. */
  String get(int port, String path) throws IOException {
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nhost: probe\r\nconnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\r') {
        line.append((char) c);
      }
      if (line.length() == 0) {
        throw new IOException("closed without an answer");
      }
      return line.toString();
    }
  }
}
