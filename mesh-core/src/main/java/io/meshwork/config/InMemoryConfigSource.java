package io.meshwork.config;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * A {@link ConfigSource} fed by code: tests and admin tools publish configs or YAML documents, which
 * are validated and handed on exactly as a file's would be. Publishing before {@link #start} keeps the
 * last valid config for the start.
 */
public final class InMemoryConfigSource implements ConfigSource {

  private static final String NAME = "in-memory config";

  private MeshConfig pending; // guarded by this: published before start
  private ConfigFeed feed; // guarded by this
  private boolean closed; // guarded by this

  /** A source holding no config yet. */
  public InMemoryConfigSource() {}

  /** A source holding {@code initial}, delivered when it starts. */
  public InMemoryConfigSource(MeshConfig initial) {
    this.pending = Objects.requireNonNull(initial, "initial");
  }

  @Override
  public synchronized void start(Consumer<MeshConfig> onConfig, Consumer<InvalidConfigException> onRejected) {
    if (feed != null || closed) {
      throw new IllegalStateException("in-memory config source: already " + (closed ? "closed" : "started"));
    }
    feed = new ConfigFeed(onConfig, onRejected);
    if (pending != null) {
      feed.offer(pending, NAME);
      pending = null;
    }
  }

  /**
   * Publishes {@code config}: handed on at once when started, kept for the start otherwise.
   *
   * @return whether it was applied (false when the consumer refused it)
   */
  public synchronized boolean publish(MeshConfig config) {
    Objects.requireNonNull(config, "config");
    if (feed == null) {
      pending = config;
      return true;
    }
    return feed.offer(config, NAME);
  }

  /**
   * Publishes a YAML document: validated as a file is; a bad one is rejected (before the start, it is
   * thrown) and the config in force stays.
   *
   * @return whether it was valid and applied
   * @throws InvalidConfigException when the source is not started yet and the document is bad
   */
  public synchronized boolean publishYaml(String yaml) {
    if (feed == null) {
      pending = MeshConfig.parseYaml(yaml, NAME);
      return true;
    }
    return feed.offerYaml(yaml, NAME);
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (feed != null) {
      feed.close();
    }
  }
}
