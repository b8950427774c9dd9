package io.meshwork.controlplane.server.api;

import io.meshwork.MeshHandler;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.etcd.EtcdUnavailableException;
import io.meshwork.fleet.api.FieldError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's HTTP API: finds the route, tells who calls and whether they may, runs the
 * handler, and turns every failure into an answer that says what went wrong (400 naming the field,
 * 401 with {@code WWW-Authenticate}, 403, 404, 405 with {@code Allow}, 503 when the state store is
 * unreachable), never a dropped connection.
 */
public final class ApiServer implements MeshHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  private final List<Route> routes;
  private final Authenticator authenticator;
  private final boolean openReads;

  ApiServer(List<Route> routes, Authenticator authenticator, boolean openReads) {
    this.routes = List.copyOf(routes);
    this.authenticator = authenticator;
    this.openReads = openReads;
  }

  @Override
  public CompletableFuture<MeshResponse> handle(MeshRequest request) {
    try {
      return dispatch(request).exceptionally(ApiServer::answer);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(answer(e));
    }
  }

  private CompletableFuture<MeshResponse> dispatch(MeshRequest request) {
    String target = request.path();
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    Map<String, String> query = q < 0 ? Map.of() : query(target.substring(q + 1));
    List<String> allowed = new ArrayList<>();
    for (Route route : routes) {
      Map<String, String> variables = route.match(path);
      if (variables == null) {
        continue;
      }
      if (!route.method().equals(request.method())) {
        allowed.add(route.method());
        continue;
      }
      Caller caller = authenticator.authenticate(request);
      checkAccess(route, caller);
      return route.handler().handle(new Call(request, variables, query, caller));
    }
    if (!allowed.isEmpty()) {
      return CompletableFuture.completedFuture(Responses.error(405, request.method() + " is not allowed on " + path
          + " (expected: " + String.join(", ", allowed) + ")").toBuilder().header("allow", String.join(", ", allowed))
          .build());
    }
    return CompletableFuture.completedFuture(Responses.error(404, "no endpoint " + path));
  }

  private void checkAccess(Route route, Caller caller) {
    switch (route.access()) {
      case OPEN -> { }
      case READ -> {
        if (caller.kind() == Caller.Kind.ANONYMOUS && !openReads) {
          throw new ApiError(401, "reads need a token here (expected: Authorization: Bearer <token>)",
              Authenticator.REALM);
        }
      }
      case AUTHENTICATED -> {
        if (caller.kind() == Caller.Kind.ANONYMOUS) {
          throw new ApiError(401, "this needs a token (expected: Authorization: Bearer <token>)", Authenticator.REALM);
        }
      }
      case ADMIN -> {
        if (caller.kind() == Caller.Kind.ANONYMOUS) {
          throw new ApiError(401, "this needs the admin token (expected: Authorization: Bearer <admin token>)",
              Authenticator.REALM);
        }
        if (!caller.isAdmin()) {
          throw new ApiError(403, caller + " may not do this (expected: the admin token or an admin identity)");
        }
      }
      default -> throw new IllegalStateException("access " + route.access());
    }
  }

  static MeshResponse answer(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof FieldError error) {
      return Responses.badField(error);
    }
    if (cause instanceof ApiError error) {
      MeshResponse response = Responses.error(error.status, error.getMessage());
      return error.challenge == null ? response
          : response.toBuilder().header("www-authenticate", error.challenge).build();
    }
    if (cause instanceof TimeoutException || cause instanceof EtcdUnavailableException
        || cause.getClass().getName().startsWith("io.grpc.")
        || cause.getClass().getName().startsWith("io.etcd.")) {
      log.warn("the state store failed: {}", cause.toString());
      return Responses.error(503, "the state store is unavailable; try again: " + cause.getMessage());
    }
    log.error("API request failed", cause);
    return Responses.error(500, "internal error: " + cause.getClass().getSimpleName());
  }

  private static Map<String, String> query(String text) {
    Map<String, String> parameters = new HashMap<>();
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = Route.decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : Route.decode(pair.substring(eq + 1));
      if (name != null && value != null) {
        parameters.putIfAbsent(name, value);
      }
    }
    return parameters;
  }
}
