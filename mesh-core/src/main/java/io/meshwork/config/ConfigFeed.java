package io.meshwork.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part every {@link ConfigSource} shares: it parses each new document, hands a valid one to the
 * consumer unless it equals the config in force, rejects a bad one (logged, with every error) and
 * keeps the config in force, and isolates the source from callbacks that throw. Thread-safe: offers
 * are serialized, so the callbacks run one at a time.
 */
public final class ConfigFeed {

  private static final Logger log = LoggerFactory.getLogger(ConfigFeed.class);

  private final Consumer<MeshConfig> onConfig;
  private final Consumer<InvalidConfigException> onRejected;
  private MeshConfig current; // guarded by this
  private boolean closed; // guarded by this

  /** A feed to {@code onConfig} and {@code onRejected}. */
  public ConfigFeed(Consumer<MeshConfig> onConfig, Consumer<InvalidConfigException> onRejected) {
    this.onConfig = Objects.requireNonNull(onConfig, "onConfig");
    this.onRejected = Objects.requireNonNull(onRejected, "onRejected");
  }

  /**
   * Parses {@code yaml}, the content of {@code source} (a file, an etcd key), and hands the config on
   * or rejects it.
   *
   * @return whether the document was valid and applied (or equal to the config in force)
   */
  public synchronized boolean offerYaml(String yaml, String source) {
    return offerParsed(() -> MeshConfig.parseYaml(yaml, source), source);
  }

  /**
   * Parses several documents as one config ({@link MeshConfig#parseYaml(Map, String)}), the
   * documents under {@code source} (an etcd prefix, a directory), and hands the config on or rejects it.
   *
   * @return whether the documents were valid and applied (or equal to the config in force)
   */
  public synchronized boolean offerYaml(Map<String, String> documents, String source) {
    return offerParsed(() -> MeshConfig.parseYaml(documents, source), source);
  }

  /**
   * Hands {@code config}, read from {@code source}, on unless it equals the config in force.
   *
   * @return whether it was applied (or equal to the config in force)
   */
  public synchronized boolean offer(MeshConfig config, String source) {
    Objects.requireNonNull(config, "config");
    if (closed) {
      return false;
    }
    if (config.equals(current)) {
      log.debug("{}: unchanged; the config in force stays", source);
      return true;
    }
    try {
      onConfig.accept(config);
    } catch (InvalidConfigException e) {
      reject(e);
      return false;
    } catch (RuntimeException e) {
      // The consumer (a mesh) refused the config: that is a rejection of the document, not a crash
      // of the source.
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      reject(new InvalidConfigException(source, List.of(new ConfigError(source, 0, 0, "",
          "refused when applied: " + message)), e));
      return false;
    }
    current = config;
    log.info("{}: config applied", source);
    return true;
  }

  /** Rejects a document that could not be read at all ({@code why}: the file is gone, say). */
  public synchronized void reject(String source, String why) {
    reject(new InvalidConfigException(source, List.of(new ConfigError(source, 0, 0, "", why))));
  }

  /** The last config applied through this feed, or null. */
  public synchronized MeshConfig current() {
    return current;
  }

  /** Stops the feed: nothing is handed on once this returns. */
  public synchronized void close() {
    closed = true;
  }

  private boolean offerParsed(Supplier<MeshConfig> parse, String source) {
    if (closed) {
      return false;
    }
    MeshConfig config;
    try {
      config = parse.get();
    } catch (InvalidConfigException e) {
      reject(e);
      return false;
    }
    return offer(config, source);
  }

  private void reject(InvalidConfigException rejection) {
    if (closed) {
      return;
    }
    log.warn("{}; the config in force stays", rejection.getMessage());
    try {
      onRejected.accept(rejection);
    } catch (RuntimeException e) {
      log.warn("the rejection listener of {} failed", rejection.source(), e);
    }
  }
}
