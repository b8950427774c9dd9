package io.meshwork.bench.micro;

import io.meshwork.MeshRequest;
import io.meshwork.loadbalancer.LoadBalancer;
import io.meshwork.registry.ServiceInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** One pick and its record, for every balancer, as the mesh makes them on each attempt. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PickBenchmark {

  @Param({"10", "100", "1000"})
  int instances;

  @Param({"roundRobin", "weightedRoundRobin", "random", "leastRequest", "peakEwma", "ringHash"})
  String balancer;

  private LoadBalancer lb;
  private List<ServiceInstance> list;
  private final MeshRequest request = MeshRequest.builder().header("x-user", "user-42").build();

  @Setup
  public void setUp() {
    lb = switch (balancer) {
      case "roundRobin" -> LoadBalancer.roundRobin();
      case "weightedRoundRobin" -> LoadBalancer.weightedRoundRobin();
      case "random" -> LoadBalancer.random();
      case "leastRequest" -> LoadBalancer.leastRequest();
      case "peakEwma" -> LoadBalancer.peakEwma();
      default -> LoadBalancer.ringHash("x-user");
    };
    List<ServiceInstance> built = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      built.add(ServiceInstance.builder("svc", "i" + i).host("10.0." + (i / 250) + "." + (i % 250 + 1))
          .port(8080).weight(1 + i % 3).build());
    }
    list = List.copyOf(built);
  }

  /** The end time the mesh would pass: a fake clock moving 1 us per call, with no clock read. */
  private long clock;

  @Benchmark
  public ServiceInstance pickAndRecord() {
    ServiceInstance picked = lb.pick(list, request, List.of());
    lb.recordSuccess(picked, 1_000_000L, clock += 1_000); // the mesh passes its ticker's end time
    return picked;
  }
}
