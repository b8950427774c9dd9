package io.meshwork.netty.internal.client;

import io.meshwork.MeshRequest;
import io.meshwork.security.WorkloadIdentity;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * The HTTP/1.1 pool of one instance, split into one share per event loop. A call made on a loop
 * uses that loop's share with no hop; a call from any other thread goes to the loop with the fewest
 * exchanges in flight, so the calls one application thread starts are spread over every loop (and
 * every core).
 */
final class Http1InstancePool implements InstancePool {

  private final ClientContext context;
  private final InetSocketAddress remote;
  private final String address;
  private final WorkloadIdentity expected;
  private final AtomicReferenceArray<Http1LoopPool> shares;
  private volatile boolean closed;
  private volatile boolean forced;

  /** {@code expected}: the identity the instance must present over TLS; null for plaintext. */
  Http1InstancePool(ClientContext context, InetSocketAddress remote, String address, WorkloadIdentity expected) {
    this.context = context;
    this.remote = remote;
    this.address = address;
    this.expected = expected;
    this.shares = new AtomicReferenceArray<>(context.loops.size());
  }

  @Override
  public Exchange send(MeshRequest request, long timeoutMillis) {
    int index = context.loops.startExchange();
    Http1LoopPool share = share(index);
    Exchange exchange = new Exchange(request, address, timeoutMillis, context.loops, index, share, share);
    if (share.loop.inEventLoop()) {
      share.submit(exchange);
    } else {
      try {
        share.loop.execute(exchange);
      } catch (RejectedExecutionException loopGone) {
        exchange.fail(ClientFailures.closed(context.service));
      }
    }
    return exchange;
  }

  /** Warms one connection in the share of every event loop, so calls from any loop find one. */
  @Override
  public CompletableFuture<Void> warm() {
    List<CompletableFuture<Void>> ready = new ArrayList<>();
    for (int i = 0; i < shares.length(); i++) {
      Http1LoopPool share = share(i);
      CompletableFuture<Void> warmed = new CompletableFuture<>();
      Runnable task = () -> share.warm().whenComplete((done, failure) -> {
        if (failure != null) {
          warmed.completeExceptionally(failure);
        } else {
          warmed.complete(null);
        }
      });
      try {
        share.loop.execute(task);
      } catch (RejectedExecutionException loopGone) {
        warmed.completeExceptionally(ClientFailures.closed(context.service));
      }
      ready.add(warmed);
    }
    return CompletableFuture.allOf(ready.toArray(new CompletableFuture<?>[0]));
  }

  @Override
  public CompletableFuture<Void> closeGracefully() {
    closed = true;
    List<CompletableFuture<Void>> quiet = new ArrayList<>();
    for (int i = 0; i < shares.length(); i++) {
      Http1LoopPool share = shares.get(i);
      if (share != null) {
        quiet.add(onLoop(share, () -> share.closeGracefully()));
      }
    }
    return CompletableFuture.allOf(quiet.toArray(new CompletableFuture<?>[0]));
  }

  @Override
  public void closeNow() {
    forced = true;
    closed = true;
    for (int i = 0; i < shares.length(); i++) {
      Http1LoopPool share = shares.get(i);
      if (share != null) {
        onLoop(share, () -> {
          share.closeNow();
          return null;
        });
      }
    }
  }

  private Http1LoopPool share(int index) {
    Http1LoopPool share = shares.get(index);
    if (share == null) {
      share = new Http1LoopPool(context, context.loops.loop(index), remote, address, expected);
      if (!shares.compareAndSet(index, null, share)) {
        share = shares.get(index);
      } else if (closed) {
        // Made after closeGracefully() looked at the shares: close it like the others.
        Http1LoopPool late = share;
        onLoop(late, () -> {
          if (forced) {
            late.closeNow();
          }
          return late.closeGracefully();
        });
      }
    }
    return share;
  }

  private static <T> CompletableFuture<Void> onLoop(Http1LoopPool share,
      Supplier<CompletableFuture<T>> action) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Runnable task = () -> {
      CompletableFuture<T> result = action.get();
      if (result == null) {
        done.complete(null);
      } else {
        result.whenComplete((value, failure) -> done.complete(null));
      }
    };
    try {
      if (share.loop.inEventLoop()) {
        task.run();
      } else {
        share.loop.execute(task);
      }
    } catch (RejectedExecutionException loopGone) {
      done.complete(null); // the loop is gone and its connections with it
    }
    return done;
  }
}
