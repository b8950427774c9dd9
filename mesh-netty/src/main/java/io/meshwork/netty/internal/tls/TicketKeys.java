package io.meshwork.netty.internal.tls;

import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;

/**
 * Bounds how long a BoringSSL server accepts a session ticket. Its TLS 1.3 tickets claim 48 hours
 * whatever the session timeout says, and that lifetime is out of Java's reach; so the keys that seal
 * tickets are replaced every {@link TlsContexts#SESSION_LIFETIME} (by the credentials' clock, as new
 * connections arrive), an older ticket no longer opens, and its client makes a full handshake. The
 * server keeps no session cache, so tickets are its only way to resume. The JDK's provider honours
 * the session timeout for tickets and cache alike, and needs nothing here.
 */
final class TicketKeys {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final OpenSslSessionContext sessions;
  private final Clock clock;
  private volatile Instant sealingSince;

  TicketKeys(SslContext context, Clock clock) {
    this.sessions = context instanceof ReferenceCountedOpenSslContext openSsl ? openSsl.sessionContext() : null;
    this.clock = clock;
    if (sessions != null) {
      sessions.setSessionCacheEnabled(false);
      rotate();
    }
  }

  /** Replaces the keys when they have sealed tickets for a session lifetime. */
  void rotateIfDue() {
    if (sessions != null && !clock.instant().isBefore(sealingSince.plus(TlsContexts.SESSION_LIFETIME))) {
      rotate(); // two connections racing here both rotate: harmless
    }
  }

  private void rotate() {
    sessions.setTicketKeys(new OpenSslSessionTicketKey(random(OpenSslSessionTicketKey.NAME_SIZE),
        random(OpenSslSessionTicketKey.HMAC_KEY_SIZE), random(OpenSslSessionTicketKey.AES_KEY_SIZE)));
    sealingSince = clock.instant();
  }

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
