package io.meshwork.transport;

import io.meshwork.policy.ServerLimits;
import io.meshwork.security.MtlsMode;
import java.util.Objects;

/**
 * Where and how an inbound server listens.
 *
 * @param service the local service it serves
 * @param host the address to bind, such as 127.0.0.1
 * @param port the port to bind, 0 for any free one
 * @param limits body, header, stream, memory and time limits
 * @param mtls whether callers must, may or must not use mutual TLS
 * @param tls this server's credentials; required unless {@code mtls} is DISABLED
 */
public record ServerOptions(String service, String host, int port, ServerLimits limits, MtlsMode mtls,
    TlsCredentials tls) {

  /** Checks every field. */
  public ServerOptions {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
    }
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(mtls, "mtls");
    if (mtls != MtlsMode.DISABLED && tls == null) {
      throw new IllegalArgumentException("tls: null with mtls " + mtls + " (expected: credentials)");
    }
  }

  /** These options with mutual TLS in {@code mode} using {@code credentials}. */
  public ServerOptions withTls(MtlsMode mode, TlsCredentials credentials) {
    return new ServerOptions(service, host, port, limits, mode, credentials);
  }

  /** Plaintext options with {@link ServerLimits#defaults()}. */
  public static ServerOptions of(String service, String host, int port) {
    return of(service, host, port, ServerLimits.defaults());
  }

  /** Plaintext options with {@code limits}. */
  public static ServerOptions of(String service, String host, int port, ServerLimits limits) {
    return new ServerOptions(service, host, port, limits, MtlsMode.DISABLED, null);
  }
}
