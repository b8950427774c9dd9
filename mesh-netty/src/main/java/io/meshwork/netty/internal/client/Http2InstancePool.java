package io.meshwork.netty.internal.client;

import io.meshwork.MeshRequest;
import io.meshwork.netty.internal.tls.HandshakeFailures;
import io.meshwork.security.WorkloadIdentity;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * The HTTP/2 connection of one instance: one multiplexed connection on one event loop, opened on
 * first use (TCP, then the TLS handshake when the destination uses mutual TLS) and again whenever
 * the current one dies or receives GOAWAY. Exchanges beyond the server's concurrent stream limit,
 * or sent while connecting, wait in a bounded FIFO queue. All state but the closed flags is
 * confined to the loop.
 */
final class Http2InstancePool implements InstancePool, ExchangeQueue, ExchangeOwner {

  final String address;
  private final ClientContext context;
  private final EventLoop loop;
  private final int loopIndex;
  private final InetSocketAddress remote;
  private final WorkloadIdentity expected;
  private final Bootstrap bootstrap;
  private final ArrayDeque<Exchange> pending = new ArrayDeque<>();
  /** Every open connection: the current one and any still finishing streams after a GOAWAY. */
  private final List<Http2ClientHandler> sessions = new ArrayList<>();
  private final CompletableFuture<Void> quiet = new CompletableFuture<>();
  /** Warm-ups waiting for the connection being opened. */
  private final List<CompletableFuture<Void>> warming = new ArrayList<>();
  private Http2ClientHandler current;
  private boolean connecting;
  private volatile boolean closing;
  private volatile boolean forced;

  /** {@code expected}: the identity the instance must present over TLS; null for plaintext. */
  Http2InstancePool(ClientContext context, int loopIndex, InetSocketAddress remote, String address,
      WorkloadIdentity expected) {
    this.context = context;
    this.loopIndex = loopIndex;
    this.loop = context.loops.loop(loopIndex);
    this.remote = remote;
    this.address = address;
    this.expected = expected;
    this.bootstrap = context.bootstrap(loop).handler(new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel channel) {
        if (context.tls == null) {
          addHttp2(channel);
        } // With TLS, HTTP/2 comes once the handshake succeeded: see onConnect.
      }
    });
  }

  private void addHttp2(Channel channel) {
    // Streams started while a read is in progress leave with one flush at its end.
    channel.pipeline().addLast(new FlushConsolidationHandler(256, false),
        Http2ClientHandler.create(this, context.maxResponseHeaderBytes));
  }

  String service() {
    return context.service;
  }

  int maxResponseBytes() {
    return context.maxResponseBytes;
  }

  boolean isForcedClosed() {
    return forced;
  }

  @Override
  public CompletableFuture<Void> warm() {
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Runnable task = () -> {
      Http2ClientHandler session = current;
      if (closing) {
        ready.completeExceptionally(ClientFailures.closed(context.service));
      } else if (session != null && session.isUsable()) {
        ready.complete(null);
      } else {
        warming.add(ready);
        if (!connecting) {
          connecting = true;
          bootstrap.connect(remote).addListener(this::onConnect);
        }
      }
    };
    try {
      if (loop.inEventLoop()) {
        task.run();
      } else {
        loop.execute(task);
      }
    } catch (RejectedExecutionException loopGone) {
      ready.completeExceptionally(ClientFailures.closed(context.service));
    }
    return ready;
  }

  @Override
  public Exchange send(MeshRequest request, long timeoutMillis) {
    context.loops.countExchange(loopIndex);
    Exchange exchange = new Exchange(request, address, timeoutMillis, context.loops, loopIndex, this, this);
    if (loop.inEventLoop()) {
      submit(exchange);
    } else {
      try {
        loop.execute(exchange);
      } catch (RejectedExecutionException loopGone) {
        exchange.fail(ClientFailures.closed(context.service));
      }
    }
    return exchange;
  }

  @Override
  public void submit(Exchange exchange) {
    if (closing) {
      exchange.fail(forced ? ClientFailures.closed(context.service)
          : ClientFailures.instanceLeft(context.service, address));
      return;
    }
    Http2ClientHandler session = current;
    if (pending.isEmpty() && session != null && session.canOpenStream()) {
      session.start(exchange);
      return;
    }
    if (pending.size() >= context.maxPendingPerInstance) {
      exchange.fail(ClientFailures.pendingLimit(context.service, address, context.maxPendingPerInstance));
      return;
    }
    exchange.owner = this;
    pending.add(exchange);
    drain();
  }

  @Override
  public void abandon(Exchange exchange) {
    pending.remove(exchange);
  }

  /** A stream ended: there may be room for a waiting exchange. */
  void onStreamClosed(Http2ClientHandler session) {
    drain();
    checkQuiet();
  }

  /** The server's first SETTINGS arrived: streams may start. */
  void onSessionReady(Http2ClientHandler session) {
    drain();
  }

  /** The connection takes no new stream (GOAWAY received, ids exhausted). */
  void onSessionUnusable(Http2ClientHandler session) {
    if (current == session) {
      current = null;
    }
    drain();
  }

  void onSessionClosed(Http2ClientHandler session) {
    sessions.remove(session);
    if (!session.isReady() && (current == session || (current == null && !connecting))) {
      // Closed before the server's SETTINGS: every waiting exchange was waiting for this connection
      // and none was sent. Opening another at once would only spin against such a server.
      Throwable refusal = session.tlsRefusal();
      failPending(refusal != null ? HandshakeFailures.refusedByServer(context.service, address, refusal)
          : ClientFailures.closedBeforeSettings(context.service, address));
    }
    onSessionUnusable(session);
    checkQuiet();
  }

  @Override
  public CompletableFuture<Void> closeGracefully() {
    closing = true;
    onLoop(() -> {
      failPending();
      for (Http2ClientHandler session : new ArrayList<>(sessions)) {
        session.closeWhenIdle();
      }
      checkQuiet();
    });
    return quiet;
  }

  @Override
  public void closeNow() {
    forced = true;
    closing = true;
    onLoop(() -> {
      failPending();
      for (Http2ClientHandler session : new ArrayList<>(sessions)) {
        session.closeNow();
      }
      checkQuiet();
    });
  }

  /** Starts what the current connection has room for; opens one when needed and none is coming. */
  private void drain() {
    Http2ClientHandler session = current;
    if (session != null && !session.isUsable()) {
      current = session = null;
    }
    Exchange next;
    while (session != null && session.canOpenStream() && (next = pending.poll()) != null) {
      if (!next.isDone()) {
        session.start(next);
      }
    }
    if (!pending.isEmpty() && session == null && !connecting && !closing) {
      connecting = true;
      bootstrap.connect(remote).addListener(this::onConnect);
    }
  }

  private void onConnect(Future<? super Void> result) {
    context.completeConnect(result, expected, address, this::addHttp2, this::connected, this::connectFailed);
  }

  private void connected(Channel channel) {
    connecting = false;
    Http2ClientHandler session = channel.pipeline().get(Http2ClientHandler.class);
    if (session != null) {
      sessions.add(session);
      if (closing) {
        session.closeWhenIdle();
      } else {
        current = session;
      }
    }
    warming.forEach(ready -> ready.complete(null));
    warming.clear();
    drain();
  }

  /** Every waiting exchange was waiting for this one connection. */
  private void connectFailed(Throwable failure) {
    connecting = false;
    failPending(failure);
    warming.forEach(ready -> ready.completeExceptionally(failure));
    warming.clear();
    checkQuiet();
  }

  private void failPending(Throwable failure) {
    Exchange waiter;
    while ((waiter = pending.poll()) != null) {
      waiter.fail(failure);
    }
  }

  private void failPending() {
    Exchange waiter;
    while ((waiter = pending.poll()) != null) {
      waiter.fail(forced ? ClientFailures.closed(context.service)
          : ClientFailures.instanceLeft(context.service, address));
    }
  }

  private void checkQuiet() {
    if (closing && sessions.isEmpty() && !connecting && pending.isEmpty()) {
      quiet.complete(null);
    }
  }

  private void onLoop(Runnable task) {
    if (loop.inEventLoop()) {
      task.run();
      return;
    }
    try {
      loop.execute(task);
    } catch (RejectedExecutionException loopGone) {
      quiet.complete(null);
    }
  }
}
