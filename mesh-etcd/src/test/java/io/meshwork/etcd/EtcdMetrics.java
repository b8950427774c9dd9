package io.meshwork.etcd;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads one figure from a real etcd member's Prometheus endpoint ({@code /metrics}). */
final class EtcdMetrics {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private EtcdMetrics() {}

  /** The value of {@code name} (summed over its labels) as {@code clientUrl}/metrics shows it now. */
  static double value(String clientUrl, String name) {
    String text;
    try {
      text = HTTP.send(HttpRequest.newBuilder(URI.create(clientUrl + "/metrics")).timeout(Duration.ofSeconds(5))
          .build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new AssertionError("cannot read " + clientUrl + "/metrics", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    double sum = 0;
    boolean found = false;
    for (String line : text.lines().toList()) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = true;
      }
    }
    if (!found) {
      throw new AssertionError(name + " is not among the metrics of " + clientUrl);
    }
    return sum;
  }

  /** The watchers etcd holds now, over every client. */
  static int watchers(String clientUrl) {
    return (int) value(clientUrl, "etcd_debugging_mvcc_watcher_total");
  }

  /** The watch streams etcd holds now, over every client. */
  static int streams(String clientUrl) {
    return (int) value(clientUrl, "etcd_debugging_mvcc_watch_stream_total");
  }
}
