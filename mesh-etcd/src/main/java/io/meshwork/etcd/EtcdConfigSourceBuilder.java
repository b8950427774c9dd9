package io.meshwork.etcd;

import io.meshwork.InvalidConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds an {@link EtcdConfigSource}. Every setter checks its value at once and names the field, the
 * value and what was expected. The endpoints, timeouts and TLS files mean what they mean for
 * {@link EtcdServiceRegistryBuilder}.
 */
public final class EtcdConfigSourceBuilder {

  private static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);

  private List<URI> endpoints = List.of(URI.create("http://127.0.0.1:2379"));
  private String key = EtcdConfigSource.DEFAULT_KEY;
  private boolean prefix;
  private Duration connectTimeout = Duration.ofSeconds(3);
  private Duration requestTimeout = Duration.ofSeconds(5);
  private Duration backoffInitial = Duration.ofMillis(100);
  private Duration backoffMax = Duration.ofSeconds(2);
  private Path caFile;
  private Path certFile;
  private Path keyFile;

  EtcdConfigSourceBuilder() {}

  /** The client URLs of the etcd members; {@code http://127.0.0.1:2379} unless set. */
  public EtcdConfigSourceBuilder endpoints(String... urls) {
    Objects.requireNonNull(urls, "endpoints");
    List<URI> parsed = new ArrayList<>();
    for (String url : urls) {
      try {
        parsed.add(new URI(Objects.requireNonNull(url, "endpoints: null element")));
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("endpoints: '" + url + "' (expected: a URL such as"
            + " http://127.0.0.1:2379): " + e.getMessage(), e);
      }
    }
    if (parsed.isEmpty()) {
      throw new IllegalArgumentException("endpoints: [] (expected: at least one etcd client URL)");
    }
    parsed.forEach(EndpointChecks::check);
    EndpointChecks.checkSameScheme(parsed);
    this.endpoints = List.copyOf(parsed);
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
    this.connectTimeout = checkTimeout("connectTimeout", timeout);
    return this;
  }

  /** The bound on one read of the key; 5 s unless set. */
  public EtcdConfigSourceBuilder requestTimeout(Duration timeout) {
    this.requestTimeout = checkTimeout("requestTimeout", timeout);
    return this;
  }

  /** The delays between attempts to read the key again while etcd is away; 100 ms to 2 s unless set. */
  public EtcdConfigSourceBuilder retryBackoff(Duration initial, Duration max) {
    checkTimeout("retryBackoff.initial", initial);
    checkTimeout("retryBackoff.max", max);
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("retryBackoff: " + initial + " to " + max + " (expected: max >= initial)");
    }
    this.backoffInitial = initial;
    this.backoffMax = max;
    return this;
  }

  /** Trusts the PEM certificates in {@code caFile} to sign etcd's server certificate (https endpoints). */
  public EtcdConfigSourceBuilder trustedCertificates(Path caFile) {
    this.caFile = checkReadable("trustedCertificates", caFile);
    return this;
  }

  /** Presents this client certificate chain and PKCS#8 private key (both PEM) to etcd. */
  public EtcdConfigSourceBuilder clientCertificate(Path certFile, Path keyFile) {
    this.certFile = checkReadable("clientCertificate.certFile", certFile);
    this.keyFile = checkReadable("clientCertificate.keyFile", keyFile);
    return this;
  }

  /**
   * The source, not yet connected: {@link EtcdConfigSource#start} connects. Fails with
   * {@link InvalidConfigurationException} when TLS files are set for http endpoints.
   */
  public EtcdConfigSource build() {
    boolean https = "https".equals(endpoints.get(0).getScheme());
    if (!https && (caFile != null || certFile != null)) {
      throw new InvalidConfigurationException(null, "endpoints: " + endpoints + " use http but TLS"
          + " files are set (expected: https:// endpoints, or no trustedCertificates/clientCertificate)");
    }
    EtcdSettings.TlsFiles tls = caFile == null && certFile == null ? null
        : new EtcdSettings.TlsFiles(caFile, certFile, keyFile);
    // The client plumbing is the registry's: the fields only a registry uses (its key prefix, lease,
    // write retries, clock) keep their defaults and are not read by a config source.
    EtcdSettings settings = new EtcdSettings(endpoints, EtcdServiceRegistry.DEFAULT_KEY_PREFIX,
        Duration.ofSeconds(10), connectTimeout, requestTimeout, Duration.ZERO, backoffInitial, backoffMax, tls,
        Clock.systemUTC());
    return new EtcdConfigSource(settings, key, prefix);
  }

  private static String checkKey(String field, String value) {
    if (value == null || value.isEmpty() || value.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(field + ": '" + value + "' (expected: an etcd key such as"
          + " /meshwork/config/mesh.yaml)");
    }
    return value;
  }

  private static Duration checkTimeout(String field, Duration value) {
    if (value == null || value.isNegative() || value.isZero() || value.compareTo(MAX_TIMEOUT) > 0) {
      throw new IllegalArgumentException(field + ": " + value + " (expected: > 0 and <= 5 minutes)");
    }
    return value;
  }

  private static Path checkReadable(String field, Path file) {
    if (file == null || !Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException(field + ": " + file + " (expected: a readable PEM file)");
    }
    return file;
  }
}
