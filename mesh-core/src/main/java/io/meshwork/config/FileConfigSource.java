package io.meshwork.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one {@code mesh.yaml}. It watches the directories, not the file: an editor that saves by
 * writing a new file and renaming it over the old one, and a Kubernetes ConfigMap whose {@code ..data}
 * symlink is swapped to a new directory, both replace the file rather than change it. So every
 * directory on the way to the file (each symlink's, and the real file's) is watched, and the file is
 * read again after any event in them, once writes have been quiet for a moment (an editor writing in
 * place is not read half-way). The content decides: a document equal to the last one read is not
 * offered again. A re-check every few seconds covers events a file system may not deliver.
 */
final class FileConfigSource implements ConfigSource {

  static final Duration DEFAULT_QUIET_PERIOD = Duration.ofMillis(50);
  static final Duration DEFAULT_RECHECK = Duration.ofSeconds(2);
  private static final int MAX_SYMLINKS = 40;

  private static final Logger log = LoggerFactory.getLogger(FileConfigSource.class);

  private final Path path;
  private final String name;
  private final Duration quietPeriod;
  private final Duration recheck;
  private final Map<Path, WatchKey> keys = new HashMap<>(); // watcher thread only (and start)
  private ConfigFeed feed;
  private WatchService watcher;
  private Thread thread;
  private String lastRead; // the last content offered; null after a failed read; watcher thread only
  private boolean lastMissing;
  private volatile boolean closed;

  FileConfigSource(Path path, Duration quietPeriod, Duration recheck) {
    this.path = Objects.requireNonNull(path, "path").toAbsolutePath().normalize();
    this.name = this.path.toString();
    this.quietPeriod = quietPeriod;
    this.recheck = recheck;
  }

  @Override
  public synchronized void start(Consumer<MeshConfig> onConfig, Consumer<InvalidConfigException> onRejected) {
    if (feed != null || closed) {
      throw new IllegalStateException(name + ": config source already " + (closed ? "closed" : "started"));
    }
    feed = new ConfigFeed(onConfig, onRejected);
    try {
      watcher = path.getFileSystem().newWatchService();
    } catch (IOException e) {
      throw new IllegalStateException(name + ": cannot watch the file system: " + e.getMessage(), e);
    }
    watchDirectories();
    read();
    thread = new Thread(this::run, "meshwork-config-" + path.getFileName());
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() {
    Thread running;
    synchronized (this) {
      closed = true;
      if (feed != null) {
        feed.close();
      }
      running = thread;
    }
    try {
      if (watcher != null) {
        watcher.close();
      }
    } catch (IOException e) {
      log.debug("{}: closing the watch service failed", name, e);
    }
    if (running != null && running != Thread.currentThread()) {
      running.interrupt();
      try {
        running.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    try {
      while (!closed) {
        WatchKey key = watcher.poll(recheck.toNanos(), TimeUnit.NANOSECONDS);
        if (key != null) {
          // Let a burst of writes (an editor's truncate then write, a ConfigMap swap) end first.
          do {
            key.pollEvents();
            key.reset();
            key = watcher.poll(quietPeriod.toNanos(), TimeUnit.NANOSECONDS);
          } while (key != null && !closed);
        }
        if (!closed) {
          watchDirectories();
          read();
        }
      }
    } catch (ClosedWatchServiceException | InterruptedException e) {
      // closed
    } catch (RuntimeException e) {
      log.error("{}: the config watcher stopped; changes to the file are no longer applied", name, e);
    }
  }

  /** Reads the file and offers its content when it changed; a missing or unreadable file is rejected once. */
  private void read() {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(Files.readAllBytes(path)))
          .toString();
    } catch (NoSuchFileException e) {
      if (!lastMissing) {
        lastMissing = true;
        lastRead = null;
        feed.reject(name, "no such file (expected: a mesh.yaml to read)");
      }
      return;
    } catch (CharacterCodingException e) {
      offerUnreadable("not UTF-8 text (expected: a YAML document in UTF-8)");
      return;
    } catch (IOException e) {
      offerUnreadable("cannot read it: " + e);
      return;
    }
    lastMissing = false;
    if (text.equals(lastRead)) {
      return;
    }
    lastRead = text;
    feed.offerYaml(text, name);
  }

  private void offerUnreadable(String why) {
    lastMissing = false;
    lastRead = null;
    feed.reject(name, why);
  }

  /** Watches every directory on the way to the file, and stops watching those no longer on it. */
  private void watchDirectories() {
    Set<Path> wanted = new LinkedHashSet<>();
    for (Path directory : directoriesOnTheWay()) {
      try {
        wanted.add(directory.toRealPath());
      } catch (IOException e) {
        log.debug("{}: directory {} is not there (yet)", name, directory);
      }
    }
    keys.entrySet().removeIf(entry -> {
      boolean stale = !wanted.contains(entry.getKey()) || !entry.getValue().isValid();
      if (stale) {
        entry.getValue().cancel();
      }
      return stale;
    });
    for (Path directory : wanted) {
      if (!keys.containsKey(directory)) {
        try {
          keys.put(directory, directory.register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
              StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE));
        } catch (IOException e) {
          log.debug("{}: cannot watch {}: {}", name, directory, e.toString());
        }
      }
    }
  }

  /** The file's directory, the directory of each symlink it leads through, and the real file's. */
  private Set<Path> directoriesOnTheWay() {
    Set<Path> directories = new LinkedHashSet<>();
    Path link = path;
    for (int hops = 0; hops < MAX_SYMLINKS; hops++) {
      directories.add(link.getParent());
      if (!Files.isSymbolicLink(link)) {
        break;
      }
      try {
        link = link.getParent().resolve(Files.readSymbolicLink(link)).normalize();
      } catch (IOException e) {
        break;
      }
    }
    try {
      directories.add(path.toRealPath().getParent());
    } catch (IOException e) {
      // a dangling link or no file yet: the directories above still tell when it appears
    }
    return directories;
  }

  @Override
  public String toString() {
    return "file " + name;
  }
}
