package io.meshwork.etcd;

import java.net.URI;
import java.util.List;

/** Checks of etcd client URLs, so that a typo fails when it is given rather than at the first call. */
final class EndpointChecks {

  private EndpointChecks() {}

  /** One URL: http or https, a host, a port, no path, query or user info. */
  static void check(URI url) {
    if (url == null) {
      throw new IllegalArgumentException("endpoints: null (expected: an etcd client URL)");
    }
    String scheme = url.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw fail(url, "scheme http or https");
    }
    if (url.getHost() == null || url.getHost().isEmpty()) {
      throw fail(url, "a host, as in http://127.0.0.1:2379");
    }
    if (url.getPort() < 1 || url.getPort() > 65535) {
      throw fail(url, "an explicit port 1..65535, as in http://127.0.0.1:2379");
    }
    boolean noPath = url.getRawPath() == null || url.getRawPath().isEmpty() || "/".equals(url.getRawPath());
    boolean extras = url.getRawQuery() != null || url.getRawFragment() != null
        || url.getRawUserInfo() != null;
    if (!noPath || extras) {
      throw fail(url, "scheme://host:port only, no path, query, fragment or user info");
    }
  }

  /** All http or all https: one client speaks one of them to every member. */
  static void checkSameScheme(List<URI> urls) {
    String first = urls.get(0).getScheme();
    for (URI url : urls) {
      if (!first.equals(url.getScheme())) {
        throw new IllegalArgumentException("endpoints: " + urls + " (expected: all http or all https)");
      }
    }
  }

  private static IllegalArgumentException fail(URI url, String expected) {
    return new IllegalArgumentException("endpoints: '" + url + "' (expected: " + expected + ")");
  }
}
