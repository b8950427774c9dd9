package io.meshwork.etcd;

import io.meshwork.InvalidConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The half of a builder that says how to reach etcd (endpoints, timeouts, backoff, TLS files), shared
 * by {@link EtcdServiceRegistryBuilder} and {@link EtcdConfigSourceBuilder} so that both check these
 * settings alike: each setter rejects a bad value at once, naming the field, the value and what was
 * expected, and {@link #settings()} checks them as a whole.
 */
final class EtcdClientOptions {

  private static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);

  private List<URI> endpoints = List.of(URI.create("http://127.0.0.1:2379"));
  private boolean defaultEndpoints = true;
  private Duration connectTimeout = Duration.ofSeconds(3);
  private boolean connectTimeoutSet;
  private Duration requestTimeout = Duration.ofSeconds(5);
  private Duration backoffInitial = Duration.ofMillis(100);
  private Duration backoffMax = Duration.ofSeconds(2);
  private Path caFile;
  private Path certFile;
  private Path keyFile;

  /** Parses and checks {@code urls}; see {@link #endpoints(List)}. */
  void endpoints(String... urls) {
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
    endpoints(parsed);
  }

  /** At least one URL, each {@code scheme://host:port}, all http or all https. */
  void endpoints(List<URI> urls) {
    Objects.requireNonNull(urls, "endpoints");
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("endpoints: [] (expected: at least one etcd client URL)");
    }
    for (URI url : urls) {
      EndpointChecks.check(url);
    }
    EndpointChecks.checkSameScheme(urls);
    this.endpoints = List.copyOf(urls);
    this.defaultEndpoints = false;
  }

  void connectTimeout(Duration timeout) {
    this.connectTimeout = checkTimeout("connectTimeout", timeout);
    this.connectTimeoutSet = true;
  }

  void requestTimeout(Duration timeout) {
    this.requestTimeout = checkTimeout("requestTimeout", timeout);
  }

  void retryBackoff(Duration initial, Duration max) {
    checkTimeout("retryBackoff.initial", initial);
    checkTimeout("retryBackoff.max", max);
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("retryBackoff: " + initial + " to " + max
          + " (expected: max >= initial)");
    }
    this.backoffInitial = initial;
    this.backoffMax = max;
  }

  void trustedCertificates(Path file) {
    this.caFile = checkReadable("trustedCertificates", file);
  }

  void clientCertificate(Path cert, Path key) {
    this.certFile = checkReadable("clientCertificate.certFile", cert);
    this.keyFile = checkReadable("clientCertificate.keyFile", key);
  }

  /** Whether anything that makes a connection was set: endpoints, TLS files or the connect timeout. */
  boolean connectionSet() {
    return !defaultEndpoints || caFile != null || certFile != null || connectTimeoutSet;
  }

  /**
   * The settings, checked as a whole: fails with {@link InvalidConfigurationException} when TLS files
   * are set for http endpoints.
   */
  EtcdClientSettings settings() {
    boolean https = "https".equals(endpoints.get(0).getScheme());
    if (!https && (caFile != null || certFile != null)) {
      throw new InvalidConfigurationException(null, "endpoints: " + endpoints + " use http but TLS"
          + " files are set (expected: https:// endpoints, or no trustedCertificates/clientCertificate)");
    }
    EtcdClientSettings.TlsFiles tls = caFile == null && certFile == null ? null
        : new EtcdClientSettings.TlsFiles(caFile, certFile, keyFile);
    return new EtcdClientSettings(endpoints, defaultEndpoints, connectTimeout, requestTimeout,
        backoffInitial, backoffMax, tls);
  }

  /** These request timeout and delays over the connection of {@code shared} (its endpoints, TLS, connect timeout). */
  EtcdClientSettings over(EtcdClientSettings shared) {
    return new EtcdClientSettings(shared.endpoints(), shared.defaultEndpoints(), shared.connectTimeout(),
        requestTimeout, backoffInitial, backoffMax, shared.tls());
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
