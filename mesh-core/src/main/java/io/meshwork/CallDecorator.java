package io.meshwork;

import java.util.concurrent.CompletableFuture;

/**
 * The application's own code around every call it makes through the mesh (an auth header, a log
 * line, a fallback), as Finagle's filters and Armeria's decorators. Decorators are the outermost
 * step of the call path, in the order given: {@code MeshBuilder.decorator(...)} ones first, then
 * those of the destination's {@code ServicePolicy}. A decorator calls {@code next.proceed(request)}
 * (with the request as it is or changed) to go on, or answers by itself.
 *
 * <pre>{@code
 * CallDecorator auth = (service, request, next) ->
 *     next.proceed(request.toBuilder().header("authorization", "Bearer " + tokens.current()).build());
 * }</pre>
 *
 * <p>A decorator that throws, or returns no future, fails the call with that exception; it never
 * hangs it. The call's deadline starts when the call starts, so time a decorator spends before
 * {@code proceed} counts against it.
 */
@FunctionalInterface
public interface CallDecorator {

  /** Handles one call to {@code service}: usually {@code return next.proceed(request)}. */
  CompletableFuture<MeshResponse> decorate(String service, MeshRequest request, Next next);

  /** The rest of the call path after a decorator. */
  @FunctionalInterface
  interface Next {
    /** Continues the call with {@code request}. */
    CompletableFuture<MeshResponse> proceed(MeshRequest request);
  }
}
