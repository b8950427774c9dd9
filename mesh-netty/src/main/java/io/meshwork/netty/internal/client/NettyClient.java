package io.meshwork.netty.internal.client;

import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.netty.internal.EventLoops;
import io.meshwork.netty.internal.TransportSettings;
import io.meshwork.policy.Protocol;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.security.WorkloadIdentity;
import io.meshwork.transport.ClientOptions;
import io.meshwork.transport.ConnectionStats;
import io.meshwork.transport.TransportClient;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The client side towards one destination: a pool per instance address, HTTP/1.1 or HTTP/2 as the
 * destination's policy says. Pools are found by the instance object first (its hash is cached), by
 * address when an instance changes (a new health makes a new object for the same address). With
 * mutual TLS, each pool's connections require the SPIFFE identity of the instance it was made for.
 */
public final class NettyClient implements TransportClient {

  private static final AtomicInteger NEXT_HTTP2_LOOP = new AtomicInteger();

  private final ClientContext context;
  private final ClientOptions options;
  private final Protocol protocol;
  private final Map<ServiceInstance, InstancePool> byInstance = new ConcurrentHashMap<>();
  private final Map<String, InstancePool> byAddress = new ConcurrentHashMap<>();
  private final Consumer<NettyClient> onClose;
  private volatile boolean closed;

  /**
   * A client of {@code options} on {@code loops}, doing mutual TLS with {@code sslProvider} when the
   * options carry credentials; {@code onClose} runs once when it closes.
   */
  public NettyClient(ClientOptions options, TransportSettings settings, EventLoops loops, SslProvider sslProvider,
      Consumer<NettyClient> onClose) {
    this.context = new ClientContext(options, settings, loops, sslProvider);
    this.options = options;
    this.protocol = options.protocol();
    this.onClose = onClose;
  }

  @Override
  public CompletableFuture<MeshResponse> send(ServiceInstance instance, MeshRequest request, long timeoutNanos) {
    if (closed) {
      return CompletableFuture.failedFuture(ClientFailures.closed(context.service));
    }
    InstancePool pool = byInstance.get(instance);
    if (pool == null) {
      pool = poolOf(instance);
    }
    return pool.send(request, Math.max(0, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
  }

  @Override
  public CompletableFuture<Void> connect(ServiceInstance instance) {
    if (closed) {
      return CompletableFuture.failedFuture(ClientFailures.closed(context.service));
    }
    InstancePool pool = byInstance.get(instance);
    return (pool == null ? poolOf(instance) : pool).warm();
  }

  @Override
  public ConnectionStats stats() {
    return new ConnectionStats(context.openConnections.get(), context.idleConnections.get(),
        context.handshakes.sum(), context.handshakeFailures.sum());
  }

  @Override
  public void retain(Collection<ServiceInstance> instances) {
    Set<ServiceInstance> kept = new HashSet<>(instances);
    Set<String> addresses = new HashSet<>();
    for (ServiceInstance instance : instances) {
      addresses.add(instance.address());
    }
    byInstance.keySet().removeIf(instance -> !kept.contains(instance));
    byAddress.entrySet().removeIf(entry -> {
      if (addresses.contains(entry.getKey())) {
        return false;
      }
      entry.getValue().closeGracefully();
      return true;
    });
  }

  /** Takes no new call; connections close as their exchanges end. Does not wait. */
  @Override
  public void close() {
    closeGracefully();
  }

  /** Like {@link #close()}; the future completes once every connection is closed. */
  public CompletableFuture<Void> closeGracefully() {
    boolean first = !closed;
    closed = true;
    List<CompletableFuture<Void>> quiet = new ArrayList<>();
    for (InstancePool pool : byAddress.values()) {
      quiet.add(pool.closeGracefully());
    }
    CompletableFuture<Void> all = CompletableFuture.allOf(quiet.toArray(new CompletableFuture<?>[0]));
    if (first) {
      all.whenComplete((done, failure) -> onClose.accept(this));
    }
    return all;
  }

  /** Closes every connection now; exchanges still on them fail. */
  public void closeNow() {
    closed = true;
    for (InstancePool pool : byAddress.values()) {
      pool.closeNow();
    }
  }

  private InstancePool poolOf(ServiceInstance instance) {
    InstancePool pool = byAddress.computeIfAbsent(instance.address(), address -> newPool(instance, address));
    byInstance.put(instance, pool);
    if (closed) {
      pool.closeNow(); // raced with close(): make sure it does not outlive the client
    }
    return pool;
  }

  private InstancePool newPool(ServiceInstance instance, String address) {
    // An IP literal, as registries hold, resolves without a lookup.
    InetSocketAddress remote = new InetSocketAddress(instance.host(), instance.port());
    WorkloadIdentity expected = context.tls == null ? null : options.expectedIdentity(instance);
    if (protocol == Protocol.HTTP_2) {
      int loop = Math.floorMod(NEXT_HTTP2_LOOP.getAndIncrement(), context.loops.size());
      return new Http2InstancePool(context, loop, remote, address, expected);
    }
    return new Http1InstancePool(context, remote, address, expected);
  }
}
