package io.meshwork.netty.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.netty.testing.TestCredentials;
import io.meshwork.policy.Protocol;
import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.KeyAlgorithm;
import io.meshwork.security.WorkloadIdentity;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The contexts both providers are given: TLS 1.3 and 1.2 only, ALPN, client certificates required. */
class TlsContextsTest {

  private static final CertificateAuthority AUTHORITY = CertificateAuthority.create("cluster.local");
  private static final WorkloadIdentity USERS = WorkloadIdentity.of("cluster.local", "default", "user-service");

  @ParameterizedTest(name = "OpenSSL {0}")
  @ValueSource(booleans = {true, false})
  void serversSpeakOnlyTls13And12OfferH2AndRequireAClientCertificate(boolean openSsl) throws Exception {
    SslProvider provider = provider(openSsl);
    TestCredentials credentials = TestCredentials.of(AUTHORITY, "user-service");
    SslContext server = TlsContexts.server(TlsMaterial.of(credentials.current()), credentials, provider);
    assertThat(server.applicationProtocolNegotiator().protocols()).containsExactly("h2", "http/1.1");
    SSLEngine engine = server.newEngine(UnpooledByteBufAllocator.DEFAULT);
    try {
      assertThat(protocols(engine)).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
      assertThat(engine.getNeedClientAuth()).isTrue();
    } finally {
      ReferenceCountUtil.release(engine);
    }
  }

  @ParameterizedTest(name = "OpenSSL {0}")
  @ValueSource(booleans = {true, false})
  void clientsOfferTheDestinationsProtocolAndBuildFromRsaKeysToo(boolean openSsl) throws Exception {
    SslProvider provider = provider(openSsl);
    TestCredentials credentials = TestCredentials.of(AUTHORITY, "order-service", KeyAlgorithm.RSA_2048);
    TlsMaterial material = TlsMaterial.of(credentials.current());
    assertThat(material.key.getClass().getName()).as("converted to the JDK's own key").startsWith("sun.security.");
    assertThat(material.chain[0].getClass().getName()).startsWith("sun.security.");

    SslContext h2 = TlsContexts.client(material, credentials, provider, USERS, Protocol.HTTP_2);
    SslContext http1 = TlsContexts.client(material, credentials, provider, USERS, Protocol.HTTP_1_1);
    assertThat(h2.applicationProtocolNegotiator().protocols()).containsExactly("h2");
    assertThat(http1.applicationProtocolNegotiator().protocols()).containsExactly("http/1.1");
    SSLEngine engine = h2.newEngine(UnpooledByteBufAllocator.DEFAULT);
    try {
      assertThat(protocols(engine)).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
    } finally {
      ReferenceCountUtil.release(engine);
    }
  }

  /** Chosen as the transport does, which loads the native library before anything uses it. */
  private static SslProvider provider(boolean openSsl) {
    SslProvider provider = TlsProviders.choose(openSsl);
    assertThat(provider).isEqualTo(openSsl ? SslProvider.OPENSSL : SslProvider.JDK);
    return provider;
  }

  /** The versions an engine speaks; Netty's OpenSSL engine always lists the SSLv2Hello pseudo-protocol. */
  private static List<String> protocols(SSLEngine engine) {
    return Arrays.stream(engine.getEnabledProtocols()).filter(p -> !p.equals("SSLv2Hello")).toList();
  }
}
