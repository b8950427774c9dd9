package io.meshwork.telemetry;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Collection;

/**
 * The metrics of one mesh ({@code Mesh.metrics()}): what the admin endpoint exposes and what the
 * Micrometer bridge binds. Recording is lock-free and allocates nothing per call; reading takes a
 * consistent view of each series (a histogram's count is always the total of its buckets).
 */
public interface MeshMetrics {

  /** Every metric family, in name order. */
  Collection<? extends MetricFamily> families();

  /** The family named {@code name} (dotted), or null. */
  MetricFamily family(String name);

  /**
   * Tells {@code listener} of every series that exists now (as added) and of every one added or
   * removed from now on, until the returned handle is closed.
   */
  AutoCloseable subscribe(SeriesListener listener);

  /**
   * The content type {@link #write} uses for an HTTP {@code Accept} header: OpenMetrics 1.0 when it
   * accepts {@code application/openmetrics-text}, Prometheus text 0.0.4 otherwise (also for a
   * missing or unknown header).
   */
  String contentType(String accept);

  /** Writes every metric in the format {@link #contentType} chooses for {@code accept}. */
  void write(OutputStream out, String accept) throws IOException;
}
