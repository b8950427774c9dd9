package io.meshwork.bench.soak;

import io.meshwork.AttemptEvent;
import io.meshwork.Mesh;
import io.meshwork.MeshListener;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.netty.NettyTransport;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.security.CertificateAuthority;
import io.meshwork.telemetry.MetricFamily;
import io.meshwork.telemetry.MetricSeries;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The soak's caller: a mesh as an application builds it (default policy: deadline, retries within
 * the budget, breakers, outlier detection) calling service {@code backend} over STRICT mTLS, with a
 * certificate from the soak's CA that the mesh itself renews at half its lifetime.
 */
final class SoakClient implements AutoCloseable {

  static final String SERVICE = "backend";
  private static final MeshRequest REQUEST = MeshRequest.get("/");
  private static final String EXPIRY = "meshwork.certificate.time_to_expiry";

  /** Attempt failures told in full; past these only counted. */
  private static final int TOLD = 20;

  private final NettyTransport transport;
  private final Map<String, LongAdder> attemptFailures = new ConcurrentHashMap<>();
  private final AtomicInteger told = new AtomicInteger();
  private final Mesh mesh;
  private double lastExpiry = Double.NaN;
  private int rotations;

  /** {@code say} hears of the first attempts that failed (the calls may still have succeeded on a retry). */
  SoakClient(CertificateAuthority authority, Duration certificateTtl, List<Integer> ports, Consumer<String> say) {
    InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
    this.transport = NettyTransport.builder().eventLoopThreads(1).build();
    try {
      this.mesh = Mesh.builder().service("soak-client").registry(registry).transport(transport)
          .certificateAuthority(authority).certificateTtl(certificateTtl)
          .listener(new MeshListener() {
            @Override
            public void onAttempt(AttemptEvent event) {
              if (event.succeeded()) {
                return;
              }
              String type = event.failure() != null ? SoakLoad.type(event.failure())
                  : "HTTP " + event.response().status();
              attemptFailures.computeIfAbsent(type, t -> new LongAdder()).increment();
              if (told.incrementAndGet() <= TOLD) {
                say.accept("attempt " + event.attempt() + " to port " + event.instance().port() + " failed after "
                    + event.latency().toMillis() + " ms: " + (event.failure() != null ? event.failure() : type));
              }
            }
          })
          .build();
    } catch (RuntimeException e) {
      transport.close();
      throw e;
    }
    for (int i = 0; i < ports.size(); i++) {
      registry.register(ServiceInstance.builder(SERVICE, SERVICE + "-" + i).host("127.0.0.1")
          .port(ports.get(i)).build()).join();
    }
  }

  CompletableFuture<MeshResponse> call() {
    return mesh.call(SERVICE, REQUEST);
  }

  /**
   * Reads the seconds left on the mesh's certificate and counts a rotation when they went up: a
   * renewal is the only thing that lengthens them. Call it more often than the renewal period.
   */
  synchronized int observeRotations() {
    MetricFamily family = mesh.metrics().family(EXPIRY);
    if (family != null) {
      for (MetricSeries series : family.series()) {
        double left = series.value();
        if (left > lastExpiry + 1) {
          rotations++;
        }
        lastExpiry = left;
      }
    }
    return rotations;
  }

  /** Attempts that failed, by type: what retries and ejection had to hide. */
  Map<String, Long> attemptFailures() {
    Map<String, Long> counts = new TreeMap<>();
    attemptFailures.forEach((type, count) -> counts.put(type, count.sum()));
    return counts;
  }

  @Override
  public void close() {
    mesh.close();
    transport.close();
  }
}
