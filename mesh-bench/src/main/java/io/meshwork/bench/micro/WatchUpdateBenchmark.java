package io.meshwork.bench.micro;

import io.meshwork.Mesh;
import io.meshwork.MeshRequest;
import io.meshwork.loadbalancer.LoadBalancer;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.resilience.RetryPolicy;
import io.meshwork.transport.InMemoryTransport;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One registry change carried to a new picker: an instance's weight changes in the registry, the
 * mesh's destination (subscribed by a registry watch, notified on this thread) rebuilds its endpoint
 * snapshot, and the balancer builds its new picker on the first pick from the new list.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WatchUpdateBenchmark {

  private static final String SERVICE = "svc";

  @Param({"10", "100", "1000"})
  int instances;

  private final MeshRequest request = MeshRequest.get("/");
  private InMemoryServiceRegistry registry;
  private InMemoryTransport transport;
  private Mesh mesh;
  private LoadBalancer balancer;
  private ServiceInstance[] light;
  private ServiceInstance[] heavy;
  private long changes;

  @Setup(Level.Trial)
  public void setUp() {
    registry = new InMemoryServiceRegistry();
    light = new ServiceInstance[instances];
    heavy = new ServiceInstance[instances];
    for (int i = 0; i < instances; i++) {
      ServiceInstance.Builder builder = ServiceInstance.builder(SERVICE, "i" + i)
          .host("10.0." + (i / 250) + "." + (i % 250 + 1)).port(8080);
      light[i] = builder.weight(1).build();
      heavy[i] = builder.weight(2).build();
      registry.register(light[i]).join();
    }
    transport = new InMemoryTransport();
    mesh = Mesh.builder().registry(registry).transport(transport)
        .defaultPolicy(ServicePolicy.builder().retry(RetryPolicy.none()).build()).build();
    // The first call makes the destination and its registry watch; nothing listens, so it fails.
    mesh.call(SERVICE, request).exceptionally(failure -> null).join();
    balancer = LoadBalancer.peakEwma();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    mesh.close();
    transport.close();
  }

  /** The end time the mesh would pass: a fake clock moving 1 us per call, with no clock read. */
  private long clock;

  @Benchmark
  public ServiceInstance registerAndPick() {
    long change = changes++;
    int index = (int) (change % instances);
    // Alternate the weight of each instance in turn: every register is a real change.
    registry.register(((change / instances) & 1) == 0 ? heavy[index] : light[index]);
    List<ServiceInstance> current = registry.instances(SERVICE);
    ServiceInstance picked = balancer.pick(current, request, List.of());
    balancer.recordSuccess(picked, 1_000_000L, clock += 1_000); // the mesh passes its ticker's end time
    return picked;
  }
}
