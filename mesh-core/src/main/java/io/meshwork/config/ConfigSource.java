package io.meshwork.config;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Where a mesh's {@link MeshConfig} comes from and how it changes: a watched {@code mesh.yaml}
 * ({@link #file}), an etcd key ({@code io.meshwork.etcd.EtcdConfigSource}), memory
 * ({@link InMemoryConfigSource}, for tests and admin tools). A source reads each new document whole
 * and hands it on only when all of it is valid; a bad one is rejected with every error, and the config
 * in force stays.
 *
 * <pre>{@code
 * ConfigSource source = ConfigSource.file(Path.of("/etc/meshwork/mesh.yaml"));
 * source.start(mesh::apply, rejected -> alerts.send(rejected.getMessage()));
 * }</pre>
 *
 * <p>Implementations call {@code onConfig} and {@code onRejected} one at a time, never both at
 * once, and never again after {@link #close()} returns. A callback that throws does not stop the
 * source: an exception from {@code onConfig} (a config the mesh refused to apply) is reported to
 * {@code onRejected} as a rejection of that document. {@link ConfigFeed} does all of this for an
 * implementation.
 */
public interface ConfigSource extends AutoCloseable {

  /**
   * Starts feeding: {@code onConfig} gets the config the source holds now, if it has one, then every
   * valid change; {@code onRejected} gets every document that was rejected, with its errors. A
   * source that can read at once (a file, memory) delivers its first document before this returns,
   * so a mesh can refuse to start on a bad file. A source is started once.
   *
   * @throws IllegalStateException when the source was already started or is closed
   */
  void start(Consumer<MeshConfig> onConfig, Consumer<InvalidConfigException> onRejected);

  /** Stops watching and releases what the source holds; no callback runs once it returns. */
  @Override
  void close();

  /**
   * A source watching the {@code mesh.yaml} at {@code path}: a change is applied within a second of
   * the write; a file saved by rename (as editors do) and a file that is a symlink swapped as a
   * Kubernetes ConfigMap is (through {@code ..data}) are both seen; a file that is missing or bad
   * is rejected, and the config in force stays.
   */
  static ConfigSource file(Path path) {
    return new FileConfigSource(path, FileConfigSource.DEFAULT_QUIET_PERIOD, FileConfigSource.DEFAULT_RECHECK);
  }
}
