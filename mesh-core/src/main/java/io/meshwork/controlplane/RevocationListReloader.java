package io.meshwork.controlplane;

import io.meshwork.InvalidConfigurationException;
import io.meshwork.time.Scheduler;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The revocation list of a workload that brings its own certificates: read from a file or an
 * http(s) URL (such as a control plane's {@code /api/v1/certificates/crl}), verified against the
 * workload's trust anchors, and read again every refresh interval, so a revocation reaches this
 * process's next handshake without a restart. A list that cannot be read or does not verify is
 * logged and the last good one stays; a file is only read again when it changed.
 */
public final class RevocationListReloader implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RevocationListReloader.class);
  private static final int MAX_BYTES = 16 << 20;

  private final URI source;
  private final Duration refresh;
  private final List<X509Certificate> anchors;
  private final Scheduler scheduler;
  private volatile CertificateRevocationList current = CertificateRevocationList.empty();
  private volatile FileTime fileTime;
  private volatile Scheduler.Cancellable next;
  private volatile boolean closed;
  private HttpClient http;

  /**
   * Reads the list now from {@code source} ({@code file:}, {@code http:} or {@code https:}) and again
   * every {@code refresh} on {@code scheduler}.
   *
   * @throws InvalidConfigurationException when the source's scheme is none of those, or a file
   *     source cannot be read or verified now
   */
  public RevocationListReloader(URI source, Duration refresh, List<X509Certificate> anchors, Scheduler scheduler) {
    this.source = Objects.requireNonNull(source, "source");
    this.refresh = Objects.requireNonNull(refresh, "refresh");
    this.anchors = List.copyOf(anchors);
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    String scheme = source.getScheme();
    if (!"file".equals(scheme) && !"http".equals(scheme) && !"https".equals(scheme)) {
      throw new InvalidConfigurationException(null, "revocationList: '" + source
          + "' (expected: a file:, http: or https: URI)");
    }
    if ("file".equals(scheme)) {
      readFile(true);
    } else {
      http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      fetch();
    }
    schedule();
  }

  /** Whether the last good list revokes {@code serial}. */
  public boolean isRevoked(BigInteger serial) {
    return current.isRevoked(serial);
  }

  /** The last good list. */
  public CertificateRevocationList current() {
    return current;
  }

  /** Reads the source again now (as the timer does). */
  public void reload() {
    if ("file".equals(source.getScheme())) {
      readFile(false);
    } else {
      fetch();
    }
  }

  @Override
  public void close() {
    closed = true;
    Scheduler.Cancellable pending = next;
    if (pending != null) {
      pending.cancel();
    }
  }

  private void schedule() {
    if (!closed) {
      next = scheduler.schedule(() -> {
        reload();
        schedule();
      }, refresh.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private void readFile(boolean first) {
    Path file = Path.of(source);
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      if (!first && modified.equals(fileTime)) {
        return;
      }
      if (Files.size(file) > MAX_BYTES) {
        throw new IOException("larger than " + MAX_BYTES + " bytes");
      }
      accept(Files.readString(file, StandardCharsets.US_ASCII));
      fileTime = modified;
    } catch (IOException | RuntimeException e) {
      if (first) {
        throw new InvalidConfigurationException(null, "revocationList: cannot use " + file + ": " + e.getMessage()
            + " (expected: a readable PEM X.509 CRL signed by a trust anchor)", e);
      }
      log.warn("revocation list {}: keeping the last good list: {}", file, e.getMessage());
    }
  }

  private void fetch() {
    HttpRequest request = HttpRequest.newBuilder(source).timeout(Duration.ofSeconds(10)).GET().build();
    http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.US_ASCII))
        .whenComplete((response, failure) -> {
          try {
            if (failure != null) {
              throw new IOException(failure.getMessage(), failure);
            }
            if (response.statusCode() != 200) {
              throw new IOException("status " + response.statusCode());
            }
            accept(response.body());
          } catch (IOException | RuntimeException e) {
            log.warn("revocation list {}: keeping the last good list: {}", source, e.getMessage());
          }
        });
  }

  private void accept(String pem) {
    CertificateRevocationList list = CertificateRevocationList.parse(pem, anchors, source.toString());
    CertificateRevocationList previous = current;
    // An older list (a stale cache, a replayed answer) must not bring revoked serials back.
    if (list.thisUpdate().isBefore(previous.thisUpdate())) {
      log.warn("revocation list {}: ignoring a list from {}, older than the one in force ({})", source,
          list.thisUpdate(), previous.thisUpdate());
      return;
    }
    current = list;
    if (!list.revokedSerials().equals(previous.revokedSerials())) {
      log.info("revocation list {}: {} revoked serials", source, list.revokedSerials().size());
    }
  }

  @Override
  public String toString() {
    return "RevocationListReloader{" + source + ", every " + refresh + ", " + current + "}";
  }
}
