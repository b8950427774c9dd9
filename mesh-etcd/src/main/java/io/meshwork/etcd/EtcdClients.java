package io.meshwork.etcd;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.meshwork.InvalidConfigurationException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import javax.net.ssl.SSLException;

/** Makes the jetcd client of a registry, set up to fail rather than wait while etcd is away. */
final class EtcdClients {

  private EtcdClients() {}

  /** A client for {@code settings}; fails with {@link InvalidConfigurationException} on bad TLS files. */
  static Client create(EtcdSettings settings) {
    Duration attempt = settings.attemptTimeout();
    ClientBuilder builder = Client.builder()
        .endpoints(settings.endpoints())
        .connectTimeout(settings.connectTimeout())
        // jetcd's default waits for a connection forever; a registry must fail within its timeout.
        .waitForReady(false)
        .interceptor(new UnaryDeadlineInterceptor(attempt))
        // jetcd retries an unavailable member (another one may answer: a killed leader), and gives
        // up within the attempt so that its error, not a bare timeout, reaches the caller.
        .retryDelay(100)
        .retryMaxDelay(500)
        .retryChronoUnit(ChronoUnit.MILLIS)
        .retryMaxAttempts(100)
        .retryMaxDuration(attempt.multipliedBy(3).dividedBy(4))
        // The first read holds every instance under the prefix; gRPC's default 4 MiB would cap
        // it at some ten thousand instances.
        .maxInboundMessageSize(64 * 1024 * 1024)
        // Notice a silent member sooner than the default 30 s; etcd refuses pings under 5 s apart.
        .keepaliveTime(Duration.ofSeconds(10))
        .keepaliveTimeout(Duration.ofSeconds(5));
    if (settings.usesTls()) {
      EtcdSettings.TlsFiles tls = settings.tls();
      try {
        builder.sslContext(ssl -> {
          if (tls != null && tls.caFile() != null) {
            ssl.trustManager(tls.caFile().toFile());
          }
          if (tls != null && tls.certFile() != null) {
            ssl.keyManager(tls.certFile().toFile(), tls.keyFile().toFile());
          }
        });
      } catch (SSLException | IllegalArgumentException e) {
        throw new InvalidConfigurationException(null, "TLS to etcd: cannot use the files " + tls
            + " (expected: PEM certificates and a PKCS#8 PEM key): " + e.getMessage(), e);
      }
    }
    return builder.build();
  }
}
