package io.meshwork.controlplane.server.api;

import io.meshwork.MeshRequest;
import java.util.Map;

/**
 * One API request as a handler sees it: the request, the path's variables, the query's parameters,
 * and who calls.
 *
 * @param request the request
 * @param path the variables of the route's path, such as {@code namespace}
 * @param query the query's parameters (the first of each name)
 * @param caller who calls
 */
record Call(MeshRequest request, Map<String, String> path, Map<String, String> query, Caller caller) {

  String path(String name) {
    return path.get(name);
  }

  String query(String name) {
    return query.get(name);
  }

  <T> T body(Class<T> type) {
    return Bodies.read(request, type);
  }

  /** Fails with 403 unless the caller may act for {@code namespace/service}. */
  void requireActingAs(String namespace, String service) {
    if (!caller.mayActAs(namespace, service)) {
      throw new ApiError(403, caller + " may not act for " + namespace + "/" + service
          + " (expected: the admin token, or a token or certificate of that workload)");
    }
  }

  /** Fails with 403 unless the caller is an admin. */
  void requireAdmin() {
    if (!caller.isAdmin()) {
      throw new ApiError(403, caller + " may not do this (expected: the admin token or an admin identity)");
    }
  }
}
