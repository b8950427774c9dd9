package io.meshwork.etcd;

import io.meshwork.time.Ticker;
import java.time.Clock;
import java.time.Duration;

/**
 * The validated settings of one {@link EtcdServiceRegistry}, as {@link EtcdServiceRegistryBuilder}
 * accepted them.
 *
 * @param client how it talks to etcd: endpoints, TLS, timeouts, backoff
 * @param keyPrefix where instances live, starting and ending with '/'
 * @param leaseTtl the TTL of the registry's lease, whole seconds
 * @param retryWritesFor how long register and deregister keep retrying before they fail; zero: one try
 * @param clock the wall clock of {@code registeredAt}
 * @param watchAllServices whether the whole prefix is loaded and watched (else each service lazily)
 * @param unwatchAfterIdle how long a service nobody watches or reads stays watched; zero: forever
 * @param ticker the time source of that idle time
 */
record EtcdSettings(
    EtcdClientSettings client,
    String keyPrefix,
    Duration leaseTtl,
    Duration retryWritesFor,
    Clock clock,
    boolean watchAllServices,
    Duration unwatchAfterIdle,
    Ticker ticker) {

  /** See {@link EtcdClientSettings#endpointList()}: in nearly every message of the registry. */
  String endpointList() {
    return client.endpointList();
  }
}
