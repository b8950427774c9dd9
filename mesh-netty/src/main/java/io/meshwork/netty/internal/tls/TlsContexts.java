package io.meshwork.netty.internal.tls;

import io.meshwork.policy.Protocol;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.transport.TlsCredentials;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.time.Duration;
import javax.net.ssl.SSLException;

/**
 * Builds the SslContexts of both ends from one generation of credentials: TLS 1.3 and 1.2 only,
 * the peer verified by {@link PeerVerifier}, ALPN. Providers' non-reference-counted contexts are
 * used (their native part is freed with the object), so a context of an old generation needs no
 * release and connections still using it finish undisturbed.
 */
final class TlsContexts {

  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
  /**
   * How long a server keeps a session for resumption, and the lifetime of its tickets: short, since
   * resuming skips the handshake's certificate checks (they are made again on every session, see
   * {@link PeerSessionCheck}), and a busy client resumes well within it.
   */
  static final Duration SESSION_LIFETIME = Duration.ofMinutes(5);

  private TlsContexts() {}

  /** A server requiring a client certificate, offering h2 and http/1.1 by ALPN. */
  static SslContext server(TlsMaterial material, TlsCredentials credentials, SslProvider provider)
      throws SSLException {
    SslContext context = SslContextBuilder.forServer(material.key, material.chain)
        .sslProvider(provider)
        .protocols(PROTOCOLS)
        .clientAuth(ClientAuth.REQUIRE)
        .sessionTimeout(SESSION_LIFETIME.toSeconds())
        .trustManager(PeerVerifier.ofClients(credentials, material, provider == SslProvider.OPENSSL))
        .applicationProtocolConfig(alpn(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
        .build();
    return context;
  }

  /**
   * A client presenting the credentials' certificate, accepting only a server that presents
   * {@code expected}, offering {@code protocol} by ALPN. Host names play no part: the SPIFFE ID is
   * the server's name.
   */
  static SslContext client(TlsMaterial material, TlsCredentials credentials, SslProvider provider,
      WorkloadIdentity expected, Protocol protocol) throws SSLException {
    return SslContextBuilder.forClient()
        .sslProvider(provider)
        .protocols(PROTOCOLS)
        .keyManager(material.key, material.chain)
        .trustManager(PeerVerifier.ofServer(credentials, material, expected, provider == SslProvider.OPENSSL))
        .endpointIdentificationAlgorithm(null)
        .applicationProtocolConfig(alpn(protocol == Protocol.HTTP_2
            ? ApplicationProtocolNames.HTTP_2 : ApplicationProtocolNames.HTTP_1_1))
        .build();
  }

  private static ApplicationProtocolConfig alpn(String... protocols) {
    // A peer without ALPN is still served: the server detects the protocol from the first bytes.
    return new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
        SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT, protocols);
  }
}
