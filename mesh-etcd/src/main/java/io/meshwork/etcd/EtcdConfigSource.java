package io.meshwork.etcd;

import io.etcd.jetcd.Client;
import io.meshwork.MeshException;
import io.meshwork.config.ConfigFeed;
import io.meshwork.config.ConfigSource;
import io.meshwork.config.InvalidConfigException;
import io.meshwork.config.MeshConfig;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ConfigSource} that watches one etcd key holding a {@code mesh.yaml} document (or the keys
 * under a prefix, read as one config): one write reaches every mesh of a fleet.
 *
 * <pre>{@code
 * ConfigSource fleet = EtcdConfigSource.builder()
 *     .endpoints("http://10.0.0.1:2379", "http://10.0.0.2:2379", "http://10.0.0.3:2379")
 *     .key("/meshwork/config/mesh.yaml")
 *     .build();
 * fleet.start(mesh::apply, rejected -> log.warn("{}", rejected.getMessage()));
 * // etcdctl put /meshwork/config/mesh.yaml "$(cat mesh.yaml)"
 * }</pre>
 *
 * <p>A document is validated whole, exactly as a file is, and a bad one is rejected with every error
 * (named after the key) while the config in force stays. While etcd is unreachable the config in
 * force stays too; when etcd answers again the key is read again, so a change made meanwhile is
 * applied. A deleted key is a rejection: the config in force stays. Callbacks run on the source's own
 * thread, one at a time.
 */
public final class EtcdConfigSource implements ConfigSource {

  /** The key read unless another is set. */
  public static final String DEFAULT_KEY = "/meshwork/config/mesh.yaml";

  private static final Logger log = LoggerFactory.getLogger(EtcdConfigSource.class);

  private final EtcdSettings settings;
  private final String key;
  private final boolean prefix;
  private final Object lock = new Object();
  private Client client; // guarded by lock
  private RegistryThread events; // guarded by lock
  private ConfigKeyWatch watch; // guarded by lock
  private ConfigFeed feed; // guarded by lock
  private boolean closed; // guarded by lock

  EtcdConfigSource(EtcdSettings settings, String key, boolean prefix) {
    this.settings = settings;
    this.key = key;
    this.prefix = prefix;
  }

  /** A builder; see {@link EtcdConfigSourceBuilder} for every setting and its default. */
  public static EtcdConfigSourceBuilder builder() {
    return new EtcdConfigSourceBuilder();
  }

  /**
   * Connects, reads the key and delivers what it holds before returning (nothing when the key is not
   * there yet), then watches it.
   *
   * @throws EtcdUnavailableException when etcd does not answer within the connect timeout plus the
   *     request timeout (the source is then closed)
   * @throws IllegalStateException when the source was already started or is closed
   */
  @Override
  public void start(Consumer<MeshConfig> onConfig, Consumer<InvalidConfigException> onRejected) {
    synchronized (lock) {
      if (feed != null || closed) {
        throw new IllegalStateException(this + ": already " + (closed ? "closed" : "started"));
      }
      client = EtcdClients.create(settings); // first: bad TLS files leave nothing to close
      feed = new ConfigFeed(onConfig, onRejected);
      events = new RegistryThread("config");
      watch = new ConfigKeyWatch(client, key, prefix, feed, new EtcdCalls(settings.attemptTimeout()), events,
          new Backoff(settings.backoffInitial(), settings.backoffMax(), new Random()), settings.endpointList());
    }
    try {
      watch.start(settings.connectTimeout().plus(settings.requestTimeout()));
    } catch (EtcdCallException e) {
      close();
      if (e.isUnreachable()) {
        throw new EtcdUnavailableException(null, "etcd unreachable at " + settings.endpointList()
            + ": cannot read " + key + " (" + e.getMessage() + ")", e);
      }
      throw new MeshException(null, "etcd at " + settings.endpointList() + " refused to read " + key
          + " (" + e.getMessage() + ")", e);
    }
    log.info("config source on {} watching {} from revision {}", settings.endpointList(), key, watch.revision());
  }

  /** The key (or prefix) watched. */
  public String key() {
    return key;
  }

  /** Stops the watch and closes the connection; no callback runs once this returns. Closing twice is harmless. */
  @Override
  public void close() {
    RegistryThread thread;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (feed == null) {
        return;
      }
      feed.close();
      thread = events;
    }
    if (thread.isCurrent()) {
      watch.close(); // a callback closing the source: already on its thread
      thread.executor().shutdown();
    } else {
      var stopped = thread.executor().submit(watch::close);
      try {
        stopped.get(1, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.debug("stopping the watch of {} did not finish: {}", key, e.toString());
      }
      thread.shutdown(Duration.ofSeconds(1));
    }
    client.close();
  }

  @Override
  public String toString() {
    return "EtcdConfigSource{" + settings.endpointList() + ", " + (prefix ? "prefix " : "key ") + key + "}";
  }
}
