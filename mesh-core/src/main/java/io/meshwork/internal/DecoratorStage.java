package io.meshwork.internal;

import io.meshwork.CallDecorator;
import io.meshwork.MeshException;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The application's decorators, outermost first. A decorator that throws or returns no future fails
 * the call with a clear exception instead of hanging it.
 */
final class DecoratorStage implements Stage {

  private final String service;
  private final CallDecorator[] decorators;

  DecoratorStage(String service, List<CallDecorator> decorators) {
    this.service = service;
    this.decorators = decorators.toArray(new CallDecorator[0]);
  }

  @Override
  public String name() {
    return "decorator";
  }

  @Override
  public MeshClient wrap(MeshClient next) {
    return (request, context) -> invoke(0, request, context, next);
  }

  private CompletableFuture<MeshResponse> invoke(int index, MeshRequest request, CallContext context,
      MeshClient next) {
    if (index == decorators.length) {
      try {
        return next.execute(request, context);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    CallDecorator decorator = decorators[index];
    CompletableFuture<MeshResponse> answer;
    try {
      answer = decorator.decorate(service, request, changed -> {
        if (changed == null) {
          return CompletableFuture.failedFuture(new MeshException(service, "decorator " + decorator
              + " proceeded with a null request"));
        }
        return invoke(index + 1, changed, context, next);
      });
    } catch (RuntimeException | Error e) {
      return CompletableFuture.failedFuture(e);
    }
    if (answer == null) {
      return CompletableFuture.failedFuture(new MeshException(service, "decorator " + decorator
          + " returned no future (expected: next.proceed(request) or a future of its own)"));
    }
    return answer;
  }
}
