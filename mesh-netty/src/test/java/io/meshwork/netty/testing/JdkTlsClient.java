package io.meshwork.netty.testing;

import io.meshwork.security.IssuedCertificate;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A blocking HTTP/1.1 client over the JDK's own TLS socket, presenting a client certificate, for
 * what outside clients can do that the mesh's own never does: renegotiate a TLS 1.2 session, or
 * present a certificate no CA of ours issues. It offers no ALPN (the server tells HTTP/1.1 from the
 * first bytes). Reads time out after 10 s.
 */
public final class JdkTlsClient implements AutoCloseable {

  private final SSLSocket socket;
  private final AtomicInteger handshakes = new AtomicInteger();

  private JdkTlsClient(SSLSocket socket) {
    this.socket = socket;
    socket.addHandshakeCompletedListener(event -> handshakes.incrementAndGet());
  }

  /** Connects with {@code client}'s key and chain, trusting {@code root}, speaking only {@code protocol}. */
  public static JdkTlsClient connect(int port, IssuedCertificate client, X509Certificate root, String protocol)
      throws Exception {
    return connect(port, jdkKey(client.privateKey()), client.chain(), root, protocol);
  }

  /** Connects presenting {@code key} and {@code chain}, trusting {@code root}, speaking only {@code protocol}. */
  public static JdkTlsClient connect(int port, PrivateKey key, List<X509Certificate> chain, X509Certificate root,
      String protocol) throws Exception {
    return over(new Socket(InetAddress.getLoopbackAddress(), port), key, chain, root, protocol);
  }

  /**
   * Handshakes over the connected {@code plain} socket, which stays usable below TLS: a test can
   * write bytes that are no valid record once the handshake is done.
   */
  public static JdkTlsClient over(Socket plain, IssuedCertificate client, X509Certificate root, String protocol)
      throws Exception {
    return over(plain, jdkKey(client.privateKey()), client.chain(), root, protocol);
  }

  private static JdkTlsClient over(Socket plain, PrivateKey key, List<X509Certificate> chain, X509Certificate root,
      String protocol) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("client", jdkKey(key), new char[0], jdk(chain).toArray(new Certificate[0]));
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, new char[0]);
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("root", jdk(List.of(root)).get(0));
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", plain.getPort(),
        true);
    socket.setSoTimeout(10_000);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setProtocols(new String[] {protocol});
    socket.setSSLParameters(parameters);
    JdkTlsClient client = new JdkTlsClient(socket);
    socket.startHandshake();
    return client;
  }

  /** Sends GET {@code path} and returns "HTTP/1.1 status body" of the answer. */
  public String get(String path) throws IOException {
    socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nhost: user-service\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    RawClient.Response response = RawClient.read(socket.getInputStream(), false);
    return "HTTP/1.1 " + response.status() + " " + response.body();
  }

  /** Starts a new handshake on the open connection: a renegotiation under TLS 1.2. */
  public void renegotiate() throws IOException {
    socket.startHandshake();
  }

  /** Handshakes completed on this connection so far. */
  public int handshakes() {
    return handshakes.get();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private static PrivateKey jdkKey(PrivateKey key) throws Exception {
    // Bouncy Castle names EC keys "ECDSA", which the JDK's key stores do not take.
    return KeyFactory.getInstance(key instanceof ECKey ? "EC" : "RSA")
        .generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
  }

  private static List<X509Certificate> jdk(List<X509Certificate> chain) throws Exception {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    return chain.stream().map(certificate -> {
      try {
        return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(certificate.getEncoded()));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).toList();
  }
}
