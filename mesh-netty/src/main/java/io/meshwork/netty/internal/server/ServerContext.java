package io.meshwork.netty.internal.server;

import io.meshwork.policy.ServerLimits;
import io.meshwork.transport.InboundHandler;
import io.meshwork.transport.ServerOptions;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.TimeUnit;

/**
 * What every connection of one server shares: the handler, the limits, the budget of body bytes
 * held by all its connections, and whether it is draining.
 */
final class ServerContext {

  final String service;
  /** Guarded: it never throws, and its futures never fail. */
  final InboundHandler handler;
  final PeerIdentityResolver identities;
  final ServerLimits limits;
  final BodyBudget bodies;
  final BodyRate bodyRate;
  final long headTimeoutNanos;
  /** Set once the server closes: responses then ask HTTP/1.1 clients to close, HTTP/2 gets GOAWAY. */
  volatile boolean draining;

  ServerContext(ServerOptions options, InboundHandler handler, PeerIdentityResolver identities) {
    this.service = options.service();
    this.handler = InboundHandler.guarded(options.service(), handler);
    this.identities = identities;
    this.limits = options.limits();
    this.bodies = new BodyBudget(limits.maxBodyBytesInFlight());
    this.bodyRate = new BodyRate(limits.minBodyBytesPerSecond(), limits.bodyRateGrace().toNanos());
    this.headTimeoutNanos = limits.requestHeadTimeout().toNanos();
  }

  /** The budget of one new connection's bodies. */
  BodyBudget connectionBudget() {
    return new BodyBudget(limits.maxBodyBytesPerConnection());
  }

  /** A body to receive on a connection with budget {@code connection}. */
  RequestBody newBody(ByteBufAllocator alloc, BodyBudget connection) {
    return new RequestBody(alloc, limits.maxRequestBytes(), connection, bodies);
  }

  /** A duration for messages, such as "10s" or "250ms". */
  static String seconds(long nanos) {
    long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }
}
