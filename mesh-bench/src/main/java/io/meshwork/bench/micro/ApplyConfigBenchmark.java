package io.meshwork.bench.micro;

import io.meshwork.Mesh;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.config.MeshConfig;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.traffic.HeaderMatch;
import io.meshwork.traffic.PathMatch;
import io.meshwork.traffic.RouteDestination;
import io.meshwork.traffic.RouteMatch;
import io.meshwork.traffic.RouteRule;
import io.meshwork.transport.InMemoryTransport;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code Mesh.apply} of a config with 100 services and 1,000 routes (ten per service, each a 90/10
 * or 80/20 split over two subsets) onto a mesh that has called all 100, so every apply rebuilds 100
 * destinations' chains. Two configs differing in every split's weights take turns. A caller thread
 * keeps calls in flight over all 100 services the whole time; a failed call fails the benchmark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class ApplyConfigBenchmark {

  static final int SERVICES = 100;
  static final int ROUTES_PER_SERVICE = 10;

  private final MeshConfig ninetyTen = config(90);
  private final MeshConfig eightyTwenty = config(80);
  private final AtomicLong calls = new AtomicLong();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private InMemoryTransport transport;
  private Mesh server;
  private Mesh caller;
  private Thread load;
  private volatile boolean running = true;
  private boolean flip;

  /** 100 services, each with subsets v1 and v2 and ten routes: nine matched ones and a catch-all. */
  static MeshConfig config(int stable) {
    MeshConfig.Builder config = MeshConfig.builder();
    for (int s = 0; s < SERVICES; s++) {
      String service = "svc-" + s;
      ServicePolicy.Builder policy = ServicePolicy.builder().timeout(Duration.ofSeconds(5))
          .subset("v1", Map.of("version", "v1")).subset("v2", Map.of("version", "v2"));
      for (int r = 0; r < ROUTES_PER_SERVICE; r++) {
        RouteRule.Builder rule = RouteRule.builder("r" + r)
            .destination(RouteDestination.of(service, "v1").withWeight(stable))
            .destination(RouteDestination.of(service, "v2").withWeight(100 - stable));
        if (r < ROUTES_PER_SERVICE - 1) {
          rule.match(RouteMatch.builder().path(PathMatch.prefix("/p" + r + "/"))
              .header(HeaderMatch.exact("x-tenant", "t" + r)).build());
        }
        policy.route(rule.build());
      }
      config.service(service, policy.build());
    }
    return config.build();
  }

  @Setup(Level.Trial)
  public void start() throws Exception {
    InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
    transport = new InMemoryTransport();
    server = Mesh.builder().service("backend").registry(registry).transport(transport).build();
    MeshResponse ok = MeshResponse.ok("ok");
    ServiceInstance served = server.serve(0, request -> CompletableFuture.completedFuture(ok)).instance();
    for (int s = 0; s < SERVICES; s++) {
      for (String version : new String[] {"v1", "v2"}) {
        registry.register(ServiceInstance.builder("svc-" + s, "svc-" + s + "-" + version).host(served.host())
            .port(served.port()).label("version", version).build()).get(5, TimeUnit.SECONDS);
      }
    }
    caller = Mesh.builder().service("caller").registry(registry).transport(transport).config(ninetyTen).build();
    for (int s = 0; s < SERVICES; s++) {
      caller.call("svc-" + s, MeshRequest.get("/")).get(5, TimeUnit.SECONDS); // every destination exists
    }
    load = new Thread(this::callWhileRunning, "apply-config-load");
    load.start();
  }

  private void callWhileRunning() {
    MeshRequest request = MeshRequest.builder().path("/p3/x").header("x-tenant", "t3").build();
    for (int i = 0; running; i++) {
      try {
        MeshResponse response = caller.call("svc-" + (i % SERVICES), request).get(5, TimeUnit.SECONDS);
        if (response.status() != 200) {
          throw new IllegalStateException("a call during apply answered " + response.status());
        }
        calls.incrementAndGet();
      } catch (Exception e) {
        failure.compareAndSet(null, e);
        return;
      }
    }
  }

  @TearDown(Level.Trial)
  public void stop() throws InterruptedException {
    running = false;
    load.join(10_000);
    caller.close();
    server.close();
    transport.close();
    Throwable failed = failure.get();
    if (failed != null) {
      throw new IllegalStateException("a call failed while configs were applied (after " + calls.get() + " calls)",
          failed);
    }
    if (calls.get() == 0) {
      throw new IllegalStateException("no call completed while configs were applied");
    }
  }

  @Benchmark
  public Object apply100Services1000Routes() {
    flip = !flip;
    return caller.apply(flip ? eightyTwenty : ninetyTen);
  }
}
