package io.meshwork.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.security.MtlsMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file source on the real file system: changes written in place, saved by rename as editors do,
 * and swapped through a ConfigMap's {@code ..data} symlink are all applied; a bad or missing file is
 * rejected and the config in force stays. Every wait is on an event, with a bound.
 */
class FileConfigSourceTest {

  private static final long BOUND_SECONDS = 10;

  @TempDir
  Path dir;

  private final BlockingQueue<MeshConfig> applied = new LinkedBlockingQueue<>();
  private final BlockingQueue<InvalidConfigException> rejected = new LinkedBlockingQueue<>();
  private ConfigSource source;

  @AfterEach
  void close() {
    if (source != null) {
      source.close();
    }
  }

  @Test
  void appliesTheFileAtStartThenEachChangeWrittenInPlace() throws Exception {
    Path file = write(dir.resolve("mesh.yaml"), "mtls: STRICT\n");
    start(file);
    assertThat(applied.poll()).as("delivered before start returns").extracting(MeshConfig::mtls)
        .isEqualTo(MtlsMode.STRICT);

    long written = System.nanoTime();
    write(file, "mtls: PERMISSIVE\n");
    assertThat(next()).extracting(MeshConfig::mtls).isEqualTo(MtlsMode.PERMISSIVE);
    System.out.println("MEASURED: a change written in place applied "
        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - written) + " ms after the write");
    assertThat(rejected).isEmpty();
  }

  @Test
  void anEditorSavingByRenameIsSeen() throws Exception {
    Path file = write(dir.resolve("mesh.yaml"), "mtls: STRICT\n");
    start(file);
    applied.clear();
    for (MtlsMode mode : new MtlsMode[] {MtlsMode.PERMISSIVE, MtlsMode.DISABLED, MtlsMode.STRICT}) {
      Path temporary = write(dir.resolve(".mesh.yaml.swp"), "mtls: " + mode + "\n");
      long renamed = System.nanoTime();
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      assertThat(next()).extracting(MeshConfig::mtls).isEqualTo(mode);
      System.out.println("MEASURED: a save by rename applied "
          + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - renamed) + " ms after the rename");
    }
  }

  @Test
  void aConfigMapSwapOfItsDataSymlinkIsSeenAgainAndAgain() throws Exception {
    // The layout the kubelet makes: mesh.yaml -> ..data/mesh.yaml, ..data -> ..<timestamp>/
    Path first = Files.createDirectory(dir.resolve("..2026_11_30_10_00_00.1"));
    write(first.resolve("mesh.yaml"), "mtls: STRICT\n");
    Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
    Path file = Files.createSymbolicLink(dir.resolve("mesh.yaml"), Path.of("..data", "mesh.yaml"));
    start(file);
    assertThat(applied.poll()).extracting(MeshConfig::mtls).isEqualTo(MtlsMode.STRICT);

    Path current = first;
    int generation = 2;
    for (MtlsMode mode : new MtlsMode[] {MtlsMode.PERMISSIVE, MtlsMode.DISABLED, MtlsMode.STRICT}) {
      // A new directory, a new link to it, renamed over ..data in one step, the old directory removed.
      Path next = Files.createDirectory(dir.resolve("..2026_11_30_10_00_00." + generation++));
      write(next.resolve("mesh.yaml"), "mtls: " + mode + "\n");
      Path link = Files.createSymbolicLink(dir.resolve("..data_tmp"), next.getFileName());
      long swapped = System.nanoTime();
      Files.move(link, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      Files.delete(current.resolve("mesh.yaml"));
      Files.delete(current);
      current = next;
      assertThat(next()).extracting(MeshConfig::mtls).isEqualTo(mode);
      System.out.println("MEASURED: a ConfigMap swap applied "
          + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - swapped) + " ms after the swap");
    }
    assertThat(rejected).isEmpty();
  }

  @Test
  void aBadNewFileIsRejectedWithItsErrorsAndTheConfigInForceStays() throws Exception {
    Path file = write(dir.resolve("mesh.yaml"), "mtls: STRICT\n");
    start(file);
    applied.clear();

    write(file, "mtls: STRICT\nservices:\n  a: {timeout: soon}\n");
    InvalidConfigException rejection = rejected.poll(BOUND_SECONDS, TimeUnit.SECONDS);
    assertThat(rejection).as("rejected within %s s", BOUND_SECONDS).isNotNull();
    assertThat(rejection.errors()).containsExactly(new ConfigError(file.toString(), 3, 16, "services.a.timeout",
        "'soon' (expected: a duration > 0, such as 250ms, 2s or 1m)"));

    // The fix is applied; the bad document never was.
    write(file, "mtls: STRICT\nservices:\n  a: {timeout: 2s}\n");
    MeshConfig fixed = next();
    assertThat(fixed.services()).containsKey("a");
    assertThat(applied).isEmpty();
    assertThat(rejected).isEmpty();
  }

  @Test
  void aDeletedFileIsRejectedAndReadAgainWhenItReturns() throws Exception {
    Path file = write(dir.resolve("mesh.yaml"), "mtls: STRICT\n");
    start(file);
    applied.clear();
    Files.delete(file);
    InvalidConfigException rejection = rejected.poll(BOUND_SECONDS, TimeUnit.SECONDS);
    assertThat(rejection).isNotNull();
    assertThat(rejection.errors()).singleElement()
        .hasToString(file + ": no such file (expected: a mesh.yaml to read)");
    write(file, "mtls: DISABLED\n");
    assertThat(next()).extracting(MeshConfig::mtls).isEqualTo(MtlsMode.DISABLED);
  }

  @Test
  void aFileMissingAtStartIsRejectedThenAppliedWhenItAppears() throws Exception {
    Path file = dir.resolve("mesh.yaml");
    start(file);
    assertThat(rejected.poll()).as("rejected before start returns").isNotNull();
    write(file, "mtls: PERMISSIVE\n");
    assertThat(next()).extracting(MeshConfig::mtls).isEqualTo(MtlsMode.PERMISSIVE);
  }

  @Test
  void nothingIsDeliveredOnceClosed() throws Exception {
    Path file = write(dir.resolve("mesh.yaml"), "mtls: STRICT\n");
    start(file);
    applied.clear();
    source.close();
    write(file, "mtls: DISABLED\n");
    // A second source on the same file sees the change: by then the first would have seen it too.
    BlockingQueue<MeshConfig> witness = new LinkedBlockingQueue<>();
    try (ConfigSource second = ConfigSource.file(file)) {
      second.start(witness::add, e -> { });
      assertThat(witness.poll(BOUND_SECONDS, TimeUnit.SECONDS)).extracting(MeshConfig::mtls)
          .isEqualTo(MtlsMode.DISABLED);
    }
    assertThat(applied).isEmpty();
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(thread -> thread.getName()
        .equals("meshwork-config-mesh.yaml") && thread.isAlive());
  }

  private void start(Path file) {
    source = ConfigSource.file(file);
    source.start(applied::add, rejected::add);
  }

  private MeshConfig next() throws InterruptedException {
    MeshConfig config = applied.poll(BOUND_SECONDS, TimeUnit.SECONDS);
    assertThat(config).as("a config applied within %s s (rejected: %s)", BOUND_SECONDS, rejected).isNotNull();
    return config;
  }

  private static Path write(Path file, String text) throws IOException {
    return Files.writeString(file, text);
  }
}
