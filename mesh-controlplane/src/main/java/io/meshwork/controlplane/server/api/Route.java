package io.meshwork.controlplane.server.api;

import io.meshwork.MeshResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One endpoint: a method, a path pattern with {@code {variables}} (one segment each), who may call it,
 * and its handler.
 *
 * @param method the HTTP method
 * @param pattern such as {@code /api/v1/services/{namespace}/{service}}
 * @param access who may call it
 * @param handler what answers it
 */
record Route(String method, String pattern, Access access, Handler handler) {

  /** Who may call a route; the handler checks finer rights (a workload acts only for itself). */
  enum Access {
    /** Anyone, always. */
    OPEN,
    /** Admins and workloads; anyone when reads are open. */
    READ,
    /** Admins and workloads. */
    AUTHENTICATED,
    /** Admins only. */
    ADMIN
  }

  /** Answers one call. */
  @FunctionalInterface
  interface Handler {
    CompletableFuture<MeshResponse> handle(Call call);
  }

  /** The path's variables when {@code path} (without its query) matches the pattern; null otherwise. */
  Map<String, String> match(String path) {
    String[] want = pattern.split("/", -1);
    String[] got = path.split("/", -1);
    if (want.length != got.length) {
      return null;
    }
    Map<String, String> variables = new HashMap<>();
    for (int i = 0; i < want.length; i++) {
      if (want[i].startsWith("{")) {
        String value = decode(got[i]);
        if (value == null || value.isEmpty()) {
          return null;
        }
        variables.put(want[i].substring(1, want[i].length() - 1), value);
      } else if (!want[i].equals(got[i])) {
        return null;
      }
    }
    return variables;
  }

  static String decode(String segment) {
    try {
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
