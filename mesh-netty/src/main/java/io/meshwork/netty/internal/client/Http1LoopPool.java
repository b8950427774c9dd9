package io.meshwork.netty.internal.client;

import io.meshwork.security.WorkloadIdentity;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The share of one instance's HTTP/1.1 connections owned by one event loop. Every field is touched
 * only by that loop, so taking and returning a connection needs no lock. Idle connections are
 * reused most recent first; exchanges beyond the connection bound wait in a bounded FIFO queue and
 * fail fast past it. With mutual TLS a connection counts as open once its handshake succeeded.
 */
final class Http1LoopPool implements ExchangeQueue, ExchangeOwner {

  final EventLoop loop;
  final String address;
  final String authority;
  final Http1RequestEncoder encoder = new Http1RequestEncoder();
  private final ClientContext context;
  private final InetSocketAddress remote;
  private final WorkloadIdentity expected;
  private final Bootstrap bootstrap;
  private final ArrayDeque<Http1Connection> idle;
  private final ArrayDeque<Exchange> waiting = new ArrayDeque<>();
  private final List<Http1Connection> connections = new ArrayList<>();
  private final Runnable sweep = this::closeExpired;
  private int open;
  private int connecting;
  private boolean sweepScheduled;
  private boolean closing;
  private boolean forced;
  private final CompletableFuture<Void> quiet = new CompletableFuture<>();

  Http1LoopPool(ClientContext context, EventLoop loop, InetSocketAddress remote, String address,
      WorkloadIdentity expected) {
    this.context = context;
    this.loop = loop;
    this.remote = remote;
    this.address = address;
    this.authority = address;
    this.expected = expected;
    this.idle = new IdleConnections(context.idleConnections);
    this.bootstrap = context.bootstrap(loop).handler(new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel channel) {
        if (context.tls == null) {
          addHttp(channel);
        } // With TLS, HTTP comes once the handshake succeeded: see onConnect.
      }
    });
  }

  private void addHttp(Channel channel) {
    Http1ResponseDecoder decoder = new Http1ResponseDecoder(context.maxResponseHeaderBytes);
    channel.pipeline().addLast(decoder, new Http1Connection(this, decoder));
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

  boolean isTls() {
    return context.tls != null;
  }

  @Override
  public void submit(Exchange exchange) {
    if (closing) {
      exchange.fail(forced ? ClientFailures.closed(context.service)
          : ClientFailures.instanceLeft(context.service, address));
      return;
    }
    Http1Connection connection = takeIdle();
    if (connection != null) {
      connection.start(exchange);
      return;
    }
    if (waiting.size() >= context.maxPendingPerLoop) {
      exchange.fail(ClientFailures.pendingLimit(context.service, address, context.maxPendingPerInstance));
      return;
    }
    exchange.owner = this;
    waiting.add(exchange);
    connectForWaiters();
  }

  /** Opens one connection unless one is open or opening; completes when it is usable. On the loop. */
  CompletableFuture<Void> warm() {
    CompletableFuture<Void> ready = new CompletableFuture<>();
    if (closing) {
      ready.completeExceptionally(ClientFailures.closed(context.service));
    } else if (open > connecting) {
      ready.complete(null);
    } else {
      open++;
      connecting++;
      bootstrap.connect(remote).addListener(result -> context.completeConnect(result, expected, address,
          this::addHttp, channel -> {
            connected(channel);
            ready.complete(null);
          }, failure -> {
            connectFailed(failure);
            ready.completeExceptionally(failure);
          }));
    }
    return ready;
  }

  /** A connection finished its exchange and may be reused. */
  void release(Http1Connection connection) {
    Exchange next;
    while ((next = waiting.poll()) != null) {
      if (!next.isDone()) {
        connection.start(next);
        return;
      }
    }
    if (closing) {
      connection.close();
      return;
    }
    connection.idleSinceNanos = System.nanoTime();
    idle.push(connection);
    if (!sweepScheduled) {
      sweepScheduled = true;
      loop.schedule(sweep, context.idleTimeoutNanos, TimeUnit.NANOSECONDS);
    }
  }

  /** A connection's channel closed, whatever the reason. */
  void onClosed(Http1Connection connection) {
    open--;
    idle.remove(connection);
    connections.remove(connection);
    connectForWaiters();
    checkQuiet();
  }

  /** An exchange waiting for a connection was given up by its caller. */
  @Override
  public void abandon(Exchange exchange) {
    waiting.remove(exchange);
    checkQuiet();
  }

  /**
   * Takes no new exchange, fails those waiting, closes idle connections now and busy ones when
   * their exchange ends. The future completes once every connection is closed.
   */
  CompletableFuture<Void> closeGracefully() {
    if (!closing) {
      closing = true;
      Exchange waiter;
      while ((waiter = waiting.poll()) != null) {
        waiter.fail(ClientFailures.instanceLeft(context.service, address));
      }
      Http1Connection connection;
      while ((connection = idle.poll()) != null) {
        connection.close();
      }
      checkQuiet();
    }
    return quiet;
  }

  /** Closes every connection now; exchanges on them fail as closed. */
  void closeNow() {
    forced = true;
    closeGracefully();
    for (Http1Connection connection : new ArrayList<>(connections)) {
      connection.close();
    }
  }

  private Http1Connection takeIdle() {
    Http1Connection connection;
    long now = 0;
    while ((connection = idle.poll()) != null) {
      if (connection.isActive()) {
        now = now == 0 ? System.nanoTime() : now;
        if (now - connection.idleSinceNanos < context.idleTimeoutNanos) {
          return connection;
        }
      }
      connection.close();
    }
    return null;
  }

  /** Opens connections while waiters outnumber the connections being opened, within the bound. */
  private void connectForWaiters() {
    while (!closing && connecting < waiting.size() && open < context.maxConnectionsPerLoop) {
      open++;
      connecting++;
      bootstrap.connect(remote).addListener(this::onConnect);
    }
  }

  private void onConnect(Future<? super Void> result) {
    context.completeConnect(result, expected, address, this::addHttp, this::connected, this::connectFailed);
  }

  private void connected(Channel channel) {
    connecting--;
    Http1Connection connection = channel.pipeline().get(Http1Connection.class);
    if (connection != null) { // null only when it already closed, and onClosed counted it
      connections.add(connection);
      release(connection);
    }
  }

  /** The connection could not be opened: the oldest waiter learns why; the others get another try. */
  private void connectFailed(Throwable failure) {
    connecting--;
    open--;
    Exchange waiter;
    while ((waiter = waiting.poll()) != null) {
      if (!waiter.isDone()) {
        waiter.fail(failure);
        break;
      }
    }
    connectForWaiters();
    checkQuiet();
  }

  private void closeExpired() {
    sweepScheduled = false;
    long now = System.nanoTime();
    // The oldest are at the tail: close from there until one is still fresh.
    Http1Connection oldest;
    while ((oldest = idle.peekLast()) != null && now - oldest.idleSinceNanos >= context.idleTimeoutNanos) {
      idle.pollLast();
      oldest.close();
    }
    if (!idle.isEmpty() && !closing) {
      sweepScheduled = true;
      long next = idle.peekLast().idleSinceNanos + context.idleTimeoutNanos - now;
      loop.schedule(sweep, Math.max(1, next), TimeUnit.NANOSECONDS);
    }
  }

  private void checkQuiet() {
    if (closing && open == 0 && waiting.isEmpty()) {
      quiet.complete(null);
    }
  }
}
