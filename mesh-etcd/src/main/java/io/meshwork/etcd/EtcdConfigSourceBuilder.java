package io.meshwork.etcd;

import io.meshwork.InvalidConfigurationException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Builds an {@link EtcdConfigSource}. Every setter checks its value at once and names the field, the
 * value and what was expected. The endpoints, timeouts, backoff and TLS files mean what they mean for
 * {@link EtcdServiceRegistryBuilder}, and are checked alike.
 */
public final class EtcdConfigSourceBuilder {

  private final EtcdClientOptions client = new EtcdClientOptions();
  private String key = EtcdConfigSource.DEFAULT_KEY;
  private boolean prefix;

  EtcdConfigSourceBuilder() {}

  /**
   * The client URLs of the etcd members, such as {@code http://10.0.0.1:2379}: all http or all
   * https, each with a host and a port and no path. {@code http://127.0.0.1:2379} unless set.
   */
  public EtcdConfigSourceBuilder endpoints(String... urls) {
    client.endpoints(urls);
    return this;
  }

  /** The one key holding the {@code mesh.yaml} document; {@value EtcdConfigSource#DEFAULT_KEY} unless set. */
  public EtcdConfigSourceBuilder key(String value) {
    this.key = checkKey("key", value);
    this.prefix = false;
    return this;
  }

  /**
   * Reads every key under {@code value} (in key order) as one config instead of one key: their
   * {@code services:} are put together, so each team may own the key of its service; every other
   * field may be set by one key only.
   */
  public EtcdConfigSourceBuilder prefix(String value) {
    this.key = checkKey("prefix", value);
    this.prefix = true;
    return this;
  }

  /** The bound on opening a connection to one etcd member; 3 s unless set. */
  public EtcdConfigSourceBuilder connectTimeout(Duration timeout) {
    client.connectTimeout(timeout);
    return this;
  }

  /** The bound on one read of the key, every attempt included; 5 s unless set. */
  public EtcdConfigSourceBuilder requestTimeout(Duration timeout) {
    client.requestTimeout(timeout);
    return this;
  }

  /**
   * The delays between attempts to read or watch the key again while etcd is away: exponential from
   * {@code initial} to {@code max}, with jitter. 100 ms to 2 s unless set.
   */
  public EtcdConfigSourceBuilder retryBackoff(Duration initial, Duration max) {
    client.retryBackoff(initial, max);
    return this;
  }

  /**
   * Trusts the PEM certificates in {@code caFile} to sign etcd's server certificate (https endpoints
   * only). Without it, https endpoints are checked against the JDK's trust store.
   */
  public EtcdConfigSourceBuilder trustedCertificates(Path caFile) {
    client.trustedCertificates(caFile);
    return this;
  }

  /**
   * Presents this client certificate chain and PKCS#8 private key (both PEM) to etcd, for etcd run
   * with {@code --client-cert-auth}.
   */
  public EtcdConfigSourceBuilder clientCertificate(Path certFile, Path keyFile) {
    client.clientCertificate(certFile, keyFile);
    return this;
  }

  /**
   * The source, not yet connected: {@link EtcdConfigSource#start} connects. Fails with
   * {@link InvalidConfigurationException} when TLS files are set for http endpoints.
   */
  public EtcdConfigSource build() {
    return new EtcdConfigSource(client.settings(), key, prefix);
  }

  private static String checkKey(String field, String value) {
    if (value == null || value.isEmpty() || value.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(field + ": '" + value + "' (expected: an etcd key such as"
          + " /meshwork/config/mesh.yaml)");
    }
    return value;
  }
}
