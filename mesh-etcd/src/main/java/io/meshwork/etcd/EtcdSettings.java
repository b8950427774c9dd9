package io.meshwork.etcd;

import io.meshwork.time.Ticker;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The validated settings of one {@link EtcdServiceRegistry}, as {@link EtcdServiceRegistryBuilder}
 * accepted them.
 *
 * @param endpoints the etcd client URLs, all http or all https
 * @param defaultEndpoints whether {@code endpoints} is the default because none was set
 * @param keyPrefix where instances live, starting and ending with '/'
 * @param leaseTtl the TTL of the registry's lease, whole seconds
 * @param connectTimeout the bound on opening a connection to one endpoint
 * @param requestTimeout the bound on a register or deregister, every attempt included
 * @param retryWritesFor how long register and deregister keep retrying before they fail; zero: one try
 * @param backoffInitial the first delay before re-registering, re-watching or retrying a write
 * @param backoffMax the longest such delay
 * @param tls the TLS files, or null for the JDK's trust store on https (or plaintext on http)
 * @param clock the wall clock of {@code registeredAt}
 * @param watchAllServices whether the whole prefix is loaded and watched (else each service lazily)
 * @param unwatchAfterIdle how long a service nobody watches or reads stays watched; zero: forever
 * @param ticker the time source of that idle time
 */
record EtcdSettings(
    List<URI> endpoints,
    boolean defaultEndpoints,
    String keyPrefix,
    Duration leaseTtl,
    Duration connectTimeout,
    Duration requestTimeout,
    Duration retryWritesFor,
    Duration backoffInitial,
    Duration backoffMax,
    TlsFiles tls,
    Clock clock,
    boolean watchAllServices,
    Duration unwatchAfterIdle,
    Ticker ticker) {

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

  /**
   * The files of TLS to etcd.
   *
   * @param caFile PEM certificates that sign etcd's server certificate; null: the JDK's trust store
   * @param certFile this client's PEM certificate chain, or null when etcd does not ask for one
   * @param keyFile this client's PKCS#8 PEM private key, set exactly when {@code certFile} is
   */
  record TlsFiles(Path caFile, Path certFile, Path keyFile) {}
}
