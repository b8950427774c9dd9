package io.meshwork.bench.client;

import io.meshwork.AttemptEvent;
import io.meshwork.Mesh;
import io.meshwork.MeshBuilder;
import io.meshwork.MeshListener;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.loadbalancer.LoadBalancer;
import io.meshwork.netty.NettyTransport;
import io.meshwork.policy.Protocol;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.security.CertificateAuthority;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Meshwork as an application uses it: {@code mesh.call("backend", GET /)} with the default policy
 * stack (deadline, retries within the budget, per-instance breakers, outlier detection) and the
 * chosen balancer, over the Netty transport, HTTP/1.1 or HTTP/2 (h2c with prior knowledge in
 * plaintext); with a certificate authority, STRICT mTLS.
 */
public final class MeshworkClient implements LoadClient {

  /** The destination service every instance is registered under. */
  public static final String SERVICE = "backend";

  /** The name prefix of the transport's event-loop threads. */
  static final String THREADS = "meshwork-netty";

  private static final MeshRequest REQUEST = MeshRequest.get("/");

  private final NettyTransport transport;
  private final Mesh mesh;
  private final InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
  private final LongAdder attempts = new LongAdder();
  private final Map<Integer, LongAdder> byPort = new ConcurrentHashMap<>();
  private final boolean countAttempts;

  /**
   * A mesh calling {@code ports} on 127.0.0.1 over HTTP/1.1 as service {@link #SERVICE}, balancing
   * with {@code balancer}; {@code authority} null for plaintext. With {@code countAttempts}, a
   * listener counts every attempt, in all and per backend port.
   */
  public MeshworkClient(List<Integer> ports, int threads, String balancer, CertificateAuthority authority,
      boolean countAttempts) {
    this(ports, threads, balancer, authority, countAttempts, Protocol.HTTP_1_1, false);
  }

  /**
   * The same over {@code protocol}; with {@code freshConnections}, connections expire as soon as
   * they are idle, so every call made one at a time opens its own (the connection set-up figure).
   */
  public MeshworkClient(List<Integer> ports, int threads, String balancer, CertificateAuthority authority,
      boolean countAttempts, Protocol protocol, boolean freshConnections) {
    this.countAttempts = countAttempts;
    NettyTransport.Builder transportBuilder = NettyTransport.builder().eventLoopThreads(threads);
    if (freshConnections) {
      transportBuilder.idleTimeout(Duration.ofNanos(1));
    }
    this.transport = transportBuilder.build();
    MeshBuilder builder = Mesh.builder().service("bench-client").registry(registry).transport(transport)
        .defaultPolicy(ServicePolicy.builder().loadBalancer(balancer(balancer)).protocol(protocol).build())
        .telemetry(BenchTelemetry.config());
    if (countAttempts) {
      // Only when asked: a listener costs the mesh an event per attempt, which an application without one
      // does not pay.
      builder.listener(new MeshListener() {
        @Override
        public void onAttempt(AttemptEvent event) {
          attempts.increment();
          byPort.computeIfAbsent(event.instance().port(), port -> new LongAdder()).increment();
        }
      });
    }
    if (authority != null) {
      builder.certificateAuthority(authority);
    }
    try {
      this.mesh = builder.build();
    } catch (RuntimeException e) {
      transport.close();
      throw e;
    }
    register(SERVICE, ports);
  }

  /** Registers {@code ports} on 127.0.0.1 as the instances of {@code service}. */
  public void register(String service, List<Integer> ports) {
    for (int i = 0; i < ports.size(); i++) {
      registry.register(ServiceInstance.builder(service, service + "-" + i).host("127.0.0.1")
          .port(ports.get(i)).build()).join();
    }
  }

  /** The balancer factory named {@code name}, as the policy builder takes it. */
  public static Supplier<LoadBalancer> balancer(String name) {
    return switch (name) {
      case "roundRobin" -> LoadBalancer::roundRobin;
      case "leastRequest" -> LoadBalancer::leastRequest;
      case "peakEwma" -> LoadBalancer::peakEwma;
      default -> throw new IllegalArgumentException("balancer: " + name
          + " (expected: roundRobin, leastRequest or peakEwma)");
    };
  }

  @Override
  public CompletableFuture<MeshResponse> send() {
    return mesh.call(SERVICE, REQUEST);
  }

  @Override
  public int status(Object response) {
    return ((MeshResponse) response).status();
  }

  @Override
  public String loopThreadPrefix() {
    return THREADS;
  }

  /** Calls {@code service} with {@code request}. */
  public CompletableFuture<MeshResponse> call(String service, MeshRequest request) {
    return mesh.call(service, request);
  }

  @Override
  public long attempts() {
    return countAttempts ? attempts.sum() : -1;
  }

  @Override
  public Map<Integer, Long> attemptsByPort() {
    Map<Integer, Long> counts = new TreeMap<>();
    byPort.forEach((port, count) -> counts.put(port, count.sum()));
    return counts;
  }

  @Override
  public void close() {
    mesh.close();
    transport.close();
  }
}
