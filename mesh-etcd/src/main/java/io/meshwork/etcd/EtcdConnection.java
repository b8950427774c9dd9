package io.meshwork.etcd;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NegotiationType;
import io.grpc.netty.NettyChannelBuilder;
import io.meshwork.InvalidConfigurationException;
import io.meshwork.MeshClosedException;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContextBuilder;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;

/**
 * The gRPC channel to etcd and the threads that registries using it run on (or a config source, which
 * has one of its own). A registry normally has its own; registries built with
 * {@code sharingConnectionWith} share one, and it closes with the last of them. The registry speaks
 * etcd's gRPC API on the channel itself (jetcd provides the generated stubs and the name resolver of
 * a list of members): every call gets a deadline, none is retried behind the registry's back, and
 * all of a registry's watches share one stream.
 */
final class EtcdConnection {

  private static final AtomicInteger CONNECTIONS = new AtomicInteger();
  /** The first read holds every instance under the prefix in watch-everything mode: above gRPC's 4 MiB. */
  private static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  private final ManagedChannel channel;
  private final String name;
  private final ScheduledThreadPoolExecutor events;
  private final ScheduledThreadPoolExecutor writes;
  private int users = 1; // guarded by this
  private final AtomicInteger lanes = new AtomicInteger();

  private EtcdConnection(ManagedChannel channel) {
    this.channel = channel;
    this.name = "meshwork-etcd-" + CONNECTIONS.incrementAndGet();
    this.events = pool(name + "-events");
    this.writes = pool(name + "-writes");
  }

  /**
   * A new connection for one registry or config source; fails with
   * {@link InvalidConfigurationException} on bad TLS files.
   */
  static EtcdConnection open(EtcdClientSettings settings) {
    String target = "ip:///" + settings.endpoints().stream()
        .map(url -> url.getHost() + ":" + url.getPort()).collect(Collectors.joining(","));
    NettyChannelBuilder builder = NettyChannelBuilder.forTarget(target)
        .defaultLoadBalancingPolicy("round_robin") // a member that died is skipped, the others used
        .maxInboundMessageSize(MAX_MESSAGE_BYTES)
        // Notice a silent member sooner than gRPC's default; etcd refuses pings under 5 s apart.
        .keepAliveTime(10, TimeUnit.SECONDS)
        .keepAliveTimeout(5, TimeUnit.SECONDS)
        .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
        .userAgent("meshwork-etcd");
    if (settings.usesTls()) {
      EtcdClientSettings.TlsFiles tls = settings.tls();
      try {
        SslContextBuilder ssl = GrpcSslContexts.forClient();
        if (tls != null && tls.caFile() != null) {
          ssl.trustManager(tls.caFile().toFile());
        }
        if (tls != null && tls.certFile() != null) {
          ssl.keyManager(tls.certFile().toFile(), tls.keyFile().toFile());
        }
        builder.negotiationType(NegotiationType.TLS).sslContext(ssl.build());
      } catch (SSLException | IllegalArgumentException e) {
        throw new InvalidConfigurationException(null, "TLS to etcd: cannot use the files " + tls
            + " (expected: PEM certificates and a PKCS#8 PEM key): " + e.getMessage(), e);
      }
    } else {
      builder.usePlaintext();
    }
    return new EtcdConnection(builder.build());
  }

  /** The channel every call and stream of the registries on this connection uses. */
  Channel channel() {
    return channel;
  }

  /** One more registry uses this connection; fails when the connection is already closed. */
  synchronized EtcdConnection retain() {
    if (users == 0) {
      throw new MeshClosedException(null, "sharingConnectionWith: the registry's connection is closed"
          + " (expected: a registry that is open)");
    }
    users++;
    // More registries, more threads, up to a few: one registry's slow write must not hold up all.
    events.setCorePoolSize(Math.min(users, Math.max(2, Runtime.getRuntime().availableProcessors())));
    writes.setCorePoolSize(Math.min(users, 4));
    return this;
  }

  /** One registry stopped using it; the last one closes it. */
  void release() {
    synchronized (this) {
      if (users == 0 || --users > 0) {
        return;
      }
    }
    channel.shutdownNow();
    events.shutdownNow();
    writes.shutdownNow();
  }

  /** A lane for one registry's watch events and listeners: short tasks that never block. */
  Lane eventsLane() {
    return new Lane(name + "-events-" + lanes.incrementAndGet(), events);
  }

  /** A lane for one registry's writes, which wait for etcd. */
  Lane writerLane() {
    return new Lane(name + "-writer-" + lanes.incrementAndGet(), writes);
  }

  private static ScheduledThreadPoolExecutor pool(String name) {
    AtomicInteger threads = new AtomicInteger();
    ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, task -> {
      Thread thread = new Thread(task, name + "-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    pool.setRemoveOnCancelPolicy(true);
    pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return pool;
  }

  @Override
  public String toString() {
    return name;
  }
}
