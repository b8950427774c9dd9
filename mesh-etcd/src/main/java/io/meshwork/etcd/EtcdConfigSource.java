package io.meshwork.etcd;

import io.etcd.jetcd.api.RangeResponse;
import io.meshwork.config.ConfigFeed;
import io.meshwork.config.ConfigSource;
import io.meshwork.config.InvalidConfigException;
import io.meshwork.config.MeshConfig;
import java.time.Duration;
import java.util.Random;
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
 * force stays too; when etcd answers again the watch resumes from the last revision it saw, so every
 * change made meanwhile is applied (the key is read again when etcd compacted that revision away).
 * A deleted key is a rejection: the config in force stays. Callbacks run one at a time: the first on
 * the thread that calls {@link #start}, the others on the source's own thread. {@link #close()}
 * stops the watch and ends the connection and its threads.
 */
public final class EtcdConfigSource implements ConfigSource {

  /** The key read unless another is set. */
  public static final String DEFAULT_KEY = "/meshwork/config/mesh.yaml";

  private static final Logger log = LoggerFactory.getLogger(EtcdConfigSource.class);

  private final EtcdClientSettings settings;
  private final String key;
  private final boolean prefix;
  private final Random random = new Random();
  private final Object lock = new Object();
  private EtcdConnection connection; // guarded by lock
  private Lane events; // guarded by lock
  private WatchStream stream; // guarded by lock
  private ConfigKeyWatch watch; // guarded by lock
  private ConfigFeed feed; // guarded by lock
  private boolean closed; // guarded by lock

  EtcdConfigSource(EtcdClientSettings settings, String key, boolean prefix) {
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
   *     request timeout, or within the connect timeout when no member accepts a connection (the
   *     source is then closed)
   * @throws io.meshwork.MeshException when etcd refuses the read, such as a permission denied (the
   *     source is then closed)
   * @throws io.meshwork.InvalidConfigurationException when the TLS files cannot be used
   * @throws IllegalStateException when the source was already started or is closed
   */
  @Override
  public void start(Consumer<MeshConfig> onConfig, Consumer<InvalidConfigException> onRejected) {
    EtcdRpc rpc;
    ConfigKeyWatch starting;
    synchronized (lock) {
      if (feed != null || closed) {
        throw new IllegalStateException(this + ": already " + (closed ? "closed" : "started"));
      }
      connection = EtcdConnection.open(settings); // first: bad TLS files leave nothing to close
      feed = new ConfigFeed(onConfig, onRejected);
      events = connection.eventsLane();
      rpc = new EtcdRpc(connection.channel(), settings.attemptTimeout());
      stream = new WatchStream(connection.channel(), events, settings.backoff(random), settings.endpointList(),
          "the config in force stays");
      watch = new ConfigKeyWatch(key, prefix, feed, stream, rpc, events, settings.backoff(random),
          settings.endpointList());
      starting = watch;
    }
    RangeResponse first;
    try {
      first = rpc.awaitFirst("read " + key, () -> rpc.range(starting.range().read()), settings,
          settings.backoff(random));
    } catch (EtcdCallException e) {
      close();
      throw e.atStart(settings.endpointList());
    }
    starting.start(first);
    log.info("config source on {} watching {} from revision {}", settings.endpointList(), key,
        first.getHeader().getRevision() + 1);
  }

  /** The key (or prefix) watched. */
  public String key() {
    return key;
  }

  /** How many times the key was read again after a compaction or a reset (for tests). */
  int reloadCount() {
    synchronized (lock) {
      return watch == null ? 0 : watch.reloadCount();
    }
  }

  /**
   * Stops the watch, closes the connection and ends its threads; no callback runs once this returns,
   * also when etcd is unreachable. Closing twice is harmless.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (feed == null) {
        return; // never started: nothing was opened
      }
      feed.close();
    }
    if (!events.runAndWait(() -> {
      watch.close();
      stream.close();
    }, Duration.ofSeconds(1))) {
      log.debug("stopping the watch of {} did not finish within 1 s", key);
    }
    events.shutdown(Duration.ofSeconds(1));
    connection.release();
  }

  @Override
  public String toString() {
    return "EtcdConfigSource{" + settings.endpointList() + ", " + (prefix ? "prefix " : "key ") + key + "}";
  }
}
