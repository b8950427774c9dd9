package io.meshwork.netty.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.netty.testing.JdkTlsClient;
import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.WorkloadIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Attacks on the TLS layer of a mutual-TLS {@code mesh.serve} while a well-behaved mTLS client calls
 * it: records that are no TLS, a record corrupted after the handshake, and handshakes that never
 * finish. Each connection is closed (the head timeout, 500 ms here, bounds a handshake too), and the
 * other client sees no failure. Refused certificates, old versions and renegotiation are
 * TlsRefusalsTest's and MtlsOutsideClientsTest's.
 */
class TlsAttacksTest {

  private static final WorkloadIdentity ORDERS = WorkloadIdentity.of("cluster.local", "default", "order-service");

  private final CertificateAuthority authority = CertificateAuthority.create("cluster.local");
  private final Random random = new Random(19);
  private ServeUnderAttack server;

  @BeforeEach
  void serve() {
    server = ServeUnderAttack.mutualTls(authority);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void garbageAfterATlsRecordHeaderIsCut() throws Exception {
    var report = server.attack("TLS: handshake record of random bytes", 20, () -> {
      byte[] record = new byte[5 + 512];
      random.nextBytes(record);
      record[0] = 0x16; // handshake
      record[1] = 3;
      record[2] = 3;
      record[3] = 2;
      record[4] = 0;
      try (Socket socket = connect()) {
        socket.getOutputStream().write(record);
        assertClosed(socket.getInputStream());
      }
    });
    assertThat(report.failures()).isEmpty();
  }

  @Test
  void aCorruptedRecordAfterTheHandshakeIsCut() throws Exception {
    var report = server.attack("TLS: corrupted record after the handshake", 10, () -> {
      try (Socket plain = connect()) {
        // Returns once the handshake is done: the connection is then a trusted one.
        JdkTlsClient.over(plain, authority.issue(ORDERS), authority.rootCertificate(), "TLSv1.3");
        byte[] record = new byte[5 + 64];
        random.nextBytes(record);
        record[0] = 0x17; // application data that no key protects
        record[1] = 3;
        record[2] = 3;
        record[3] = 0;
        record[4] = 64;
        plain.getOutputStream().write(record);
        assertClosed(plain.getInputStream());
      }
    });
    assertThat(report.failures()).isEmpty();
  }

  @Test
  void aClientHelloCutShortIsClosed() throws Exception {
    byte[] hello = clientHello();
    var report = server.attack("TLS: ClientHello cut short, then silence", 5, () -> {
      try (Socket socket = connect()) {
        socket.getOutputStream().write(Arrays.copyOf(hello, hello.length / 2));
        assertClosed(socket.getInputStream());
      }
    });
    assertThat(report.failures()).isEmpty();
  }

  @Test
  void aHandshakeLeftAfterTheServerHelloIsClosed() throws Exception {
    var report = server.attack("TLS: handshake abandoned after ServerHello", 5, () -> {
      try (Socket socket = connect()) {
        socket.getOutputStream().write(clientHello());
        assertClosed(socket.getInputStream()); // reads the server's flight, then the end
      }
    });
    assertThat(report.failures()).isEmpty();
  }

  /** A whole ClientHello, as a JDK client sends it first. */
  private static byte[] clientHello() throws Exception {
    SSLEngine engine = SSLContext.getDefault().createSSLEngine("web", 443);
    engine.setUseClientMode(true);
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.wrap(ByteBuffer.allocate(0), out);
    return Arrays.copyOf(out.array(), out.position());
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
    socket.setSoTimeout(30_000);
    return socket;
  }

  /** Reads whatever the server sends until it closes; fails if it holds the connection open. */
  private static void assertClosed(InputStream in) {
    byte[] buffer = new byte[8192];
    try {
      while (in.read(buffer) != -1) {
        // the server's handshake flight or alert
      }
    } catch (SocketTimeoutException held) {
      throw new AssertionError("the server held the connection open for 30 s", held);
    } catch (IOException reset) {
      // a reset ends it as well
    }
  }
}
