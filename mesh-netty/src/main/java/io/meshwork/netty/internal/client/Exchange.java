package io.meshwork.netty.internal.client;

import io.meshwork.MeshHeaders;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.netty.internal.BodyBuffer;
import io.meshwork.netty.internal.EventLoops;
import io.netty.channel.EventLoop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * One request to one instance, and the future of its response that the caller holds. The response
 * is gathered here as it arrives, and the future is completed on the event loop, so the caller's
 * continuations run there with no further hop.
 *
 * <p>When the caller completes the future first (cancel, or a deadline completing it
 * exceptionally), the exchange's current owner is told on the loop to release what it holds.
 * Everything but the future itself is confined to the loop. The exchange counts as in flight on
 * its loop (for {@link EventLoops#startExchange()}) until whichever completion wins.
 */
final class Exchange extends CompletableFuture<MeshResponse> implements Runnable {

  final MeshRequest request;
  final String address;
  final long timeoutMillis;
  final EventLoop loop;
  private final EventLoops loads;
  private final int loopIndex;
  private final ExchangeQueue queue;
  /** Who holds the exchange now; null once the transport completed it. */
  ExchangeOwner owner;

  /** The response so far: the final status (0 until it arrives), its headers and body. */
  int status;
  MeshHeaders headers;
  BodyBuffer body;
  /** The HTTP/2 stream carrying it, 0 before. */
  int streamId;

  /**
   * An exchange on loop {@code loopIndex} of {@code loads}, already counted there as in flight; the
   * count ends with the exchange.
   */
  Exchange(MeshRequest request, String address, long timeoutMillis, EventLoops loads, int loopIndex,
      ExchangeQueue queue, ExchangeOwner owner) {
    this.request = request;
    this.address = address;
    this.timeoutMillis = timeoutMillis;
    this.loads = loads;
    this.loopIndex = loopIndex;
    this.loop = loads.loop(loopIndex);
    this.queue = queue;
    this.owner = owner;
  }

  /** Hands the exchange to its pool; the loop runs this. */
  @Override
  public void run() {
    if (!isDone()) {
      queue.submit(this);
    }
  }

  /** The transport's own success: completes the caller's future. */
  void succeed(MeshResponse response) {
    owner = null;
    // Uncounted before the caller wakes, so a next call from the caller's thread finds this loop idle.
    loads.endExchange(loopIndex);
    if (!super.complete(response)) {
      loads.countExchange(loopIndex); // the caller had ended it first, and uncounted it then
    }
  }

  /** The transport's own failure. */
  void fail(Throwable failure) {
    owner = null;
    loads.endExchange(loopIndex);
    if (!super.completeExceptionally(failure)) {
      loads.countExchange(loopIndex);
    }
  }

  /** The response head arrived. */
  void head(int status, MeshHeaders headers, BodyBuffer body) {
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  /** The whole response, once its body is complete. */
  MeshResponse response() {
    return MeshResponse.builder().status(status).headers(headers).body(body.toArray()).build();
  }

  @Override
  public boolean complete(MeshResponse value) {
    boolean won = super.complete(value);
    if (won) {
      callerEnded();
    }
    return won;
  }

  @Override
  public boolean completeExceptionally(Throwable failure) {
    boolean won = super.completeExceptionally(failure);
    if (won) {
      callerEnded();
    }
    return won;
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean won = super.cancel(mayInterruptIfRunning);
    if (won) {
      callerEnded();
    }
    return won;
  }

  /** Dependent stages are plain futures: only the caller-facing one aborts the exchange. */
  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CompletableFuture<>();
  }

  private void callerEnded() {
    loads.endExchange(loopIndex);
    if (loop.inEventLoop()) {
      abandon();
    } else {
      try {
        loop.execute(this::abandon);
      } catch (RejectedExecutionException loopGone) {
        // The loop is shut down: its connections are closed and hold nothing any more.
      }
    }
  }

  private void abandon() {
    ExchangeOwner current = owner;
    if (current != null) {
      owner = null;
      current.abandon(this);
    }
  }

  @Override
  public String toString() {
    return request + " to " + address + " " + super.toString();
  }
}
