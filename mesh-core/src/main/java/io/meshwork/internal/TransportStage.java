package io.meshwork.internal;

import io.meshwork.DeadlineExceededException;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.time.Ticker;
import io.meshwork.transport.TransportClient;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The innermost client: sends the attempt to the instance the balance stage picked, through the
 * transport client of that instance's service, with the time left before the deadline, and attaches
 * the exchange to the attempt so timers can abort it.
 */
final class TransportStage implements MeshClient {

  static final String NAME = "transport";
  static final Set<ContextValue> REQUIRES = java.util.EnumSet.of(ContextValue.ROUTE, ContextValue.DEADLINE,
      ContextValue.ATTEMPT, ContextValue.INSTANCE);

  private final Ticker ticker;

  TransportStage(Ticker ticker) {
    this.ticker = ticker;
  }

  @Override
  public CompletableFuture<MeshResponse> execute(MeshRequest request, CallContext context) {
    Attempt attempt = context.attempt();
    long remaining = context.deadlineNanos() - ticker.nanoTime();
    if (remaining <= 0) {
      // Waited for a slot until the deadline: sending now would only waste the callee's time.
      return CompletableFuture.failedFuture(
          new DeadlineExceededException(context.service, context.timeout(), attempt.number));
    }
    context.attemptSent();
    CompletableFuture<MeshResponse> exchange;
    try {
      TransportClient client = context.route().target().destination.client;
      exchange = client.send(attempt.instance(), request, remaining);
    } catch (RuntimeException e) {
      exchange = CompletableFuture.failedFuture(e);
    }
    attempt.attach(exchange);
    return exchange;
  }
}
