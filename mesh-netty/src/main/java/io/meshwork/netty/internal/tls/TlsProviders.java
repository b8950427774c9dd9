package io.meshwork.netty.internal.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

/** Which SSL implementation a transport uses: BoringSSL through netty-tcnative when it loads, the JDK's otherwise. */
public final class TlsProviders {

  private TlsProviders() {}

  /**
   * OpenSSL (BoringSSL) when {@code preferOpenSsl} and the native library loads with ALPN, else
   * the JDK provider. Asking loads the native library once.
   */
  public static SslProvider choose(boolean preferOpenSsl) {
    if (preferOpenSsl && OpenSsl.isAvailable() && SslProvider.isAlpnSupported(SslProvider.OPENSSL)) {
      return SslProvider.OPENSSL;
    }
    return SslProvider.JDK;
  }
}
