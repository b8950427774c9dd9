package io.meshwork.etcd;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * How a client of this module talks to etcd, as {@link EtcdClientOptions} accepted it: where etcd is,
 * over TLS or not, how long to wait for it and how soon to try again. The registry and the config
 * source each take these; what only a registry needs is in {@link EtcdSettings}.
 *
 * @param endpoints the etcd client URLs, all http or all https
 * @param defaultEndpoints whether {@code endpoints} is the default because none was set
 * @param connectTimeout the bound on opening a connection to one endpoint
 * @param requestTimeout the bound on one request, every attempt included
 * @param backoffInitial the first delay before trying again (a read, a watch, a write)
 * @param backoffMax the longest such delay
 * @param tls the TLS files, or null for the JDK's trust store on https (or plaintext on http)
 */
record EtcdClientSettings(
    List<URI> endpoints,
    boolean defaultEndpoints,
    Duration connectTimeout,
    Duration requestTimeout,
    Duration backoffInitial,
    Duration backoffMax,
    TlsFiles tls) {

  /**
   * The bound on one attempt of a request: 2/5 of the request timeout, so that an attempt stuck on
   * a member that just died (its requests wait for a leader that is gone) leaves time for another.
   */
  Duration attemptTimeout() {
    return requestTimeout.multipliedBy(2).dividedBy(5);
  }

  /** Whether the endpoints are https. */
  boolean usesTls() {
    return "https".equals(endpoints.get(0).getScheme());
  }

  /**
   * The endpoints as a user reads them in a message: {@code [http://127.0.0.1:2379, ...]}, saying so
   * when they are the default because none was set.
   */
  String endpointList() {
    return endpoints + (defaultEndpoints ? " (the default: no endpoints(...) set)" : "");
  }

  /** A new series of delays between attempts, from {@code backoffInitial} to {@code backoffMax}. */
  Backoff backoff(RandomGenerator random) {
    return new Backoff(backoffInitial, backoffMax, random);
  }

  /**
   * The files of TLS to etcd.
   *
   * @param caFile PEM certificates that sign etcd's server certificate; null: the JDK's trust store
   * @param certFile this client's PEM certificate chain, or null when etcd does not ask for one
   * @param keyFile this client's PKCS#8 PEM private key, set exactly when {@code certFile} is
   */
  record TlsFiles(Path caFile, Path certFile, Path keyFile) {}
}
