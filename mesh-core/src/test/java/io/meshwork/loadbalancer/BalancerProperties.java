package io.meshwork.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.MeshRequest;
import io.meshwork.registry.HealthStatus;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.time.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Properties every balancer must keep, over random instance sets and pick sequences. */
class BalancerProperties {

  private static final MeshRequest GET = MeshRequest.builder().header("k", "key").build();

  enum Kind {
    ROUND_ROBIN(seed -> LoadBalancer.roundRobin()),
    WEIGHTED(seed -> LoadBalancer.weightedRoundRobin()),
    RANDOM(seed -> LoadBalancer.random(new Random(seed))),
    LEAST_REQUEST(seed -> LoadBalancer.leastRequest(new Random(seed))),
    PEAK_EWMA(seed -> LoadBalancer.peakEwma(Duration.ofSeconds(10), new FakeTicker(), new Random(seed))),
    RING_HASH(seed -> LoadBalancer.ringHash("k"));

    final Function<Long, LoadBalancer> make;

    Kind(Function<Long, LoadBalancer> make) {
      this.make = make;
    }
  }

  @Property(tries = 300)
  void picksOnlyAmongTheInstancesGivenAndAvoidsTriedOnes(@ForAll Kind kind,
      @ForAll("healthMixes") List<HealthStatus> health, @ForAll @IntRange(min = 1, max = 60) int picks,
      @ForAll long seed) {
    // Which instances may be picked is decided before the balancer (Eligibility): a balancer picks
    // among whatever it is given, whatever their health, and prefers the ones not tried yet.
    List<ServiceInstance> list = new ArrayList<>();
    for (int i = 0; i < health.size(); i++) {
      list.add(Instances.healthy("i" + i).withHealth(health.get(i)));
    }
    List<ServiceInstance> given = List.copyOf(list);
    LoadBalancer balancer = kind.make.apply(seed);
    Random random = new Random(seed);
    for (int i = 0; i < picks; i++) {
      List<ServiceInstance> avoid = random.nextBoolean() ? List.of() : List.of(list.get(random.nextInt(list.size())));
      ServiceInstance picked = balancer.pick(given, GET, avoid);
      assertThat(picked).isIn(given);
      if (given.size() > avoid.size()) {
        assertThat(picked).isNotIn(avoid);
      }
      record(balancer, picked, random);
    }
  }

  @Property(tries = 300)
  void roundRobinIsFairWithinOnePick(@ForAll @IntRange(min = 1, max = 20) int size,
      @ForAll @IntRange(min = 0, max = 200) int picks) {
    List<ServiceInstance> list = Instances.named(size);
    LoadBalancer balancer = LoadBalancer.roundRobin();
    Map<ServiceInstance, Integer> counts = counts(balancer, list, picks);
    int min = list.stream().mapToInt(i -> counts.getOrDefault(i, 0)).min().orElseThrow();
    int max = list.stream().mapToInt(i -> counts.getOrDefault(i, 0)).max().orElseThrow();
    assertThat(max - min).isLessThanOrEqualTo(1);
  }

  @Property(tries = 300)
  void weightsAreHonouredWithinOneCycle(@ForAll @Size(min = 1, max = 10) List<@IntRange(min = 1, max = 20) Integer> weights,
      @ForAll @IntRange(min = 0, max = 50) int warmUp) {
    List<ServiceInstance> list = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      list.add(Instances.weighted("w" + i, weights.get(i)));
    }
    int gcd = weights.stream().reduce(0, BalancerProperties::gcd);
    int cycle = weights.stream().mapToInt(w -> w / gcd).sum();
    LoadBalancer balancer = LoadBalancer.weightedRoundRobin();
    List<ServiceInstance> snapshot = List.copyOf(list);
    counts(balancer, snapshot, warmUp);
    Map<ServiceInstance, Integer> counts = counts(balancer, snapshot, cycle);
    for (int i = 0; i < list.size(); i++) {
      assertThat(counts.getOrDefault(list.get(i), 0)).isEqualTo(weights.get(i) / gcd);
    }
  }

  @Property(tries = 200)
  void leastRequestNeverPicksTheMostLoadedInstance(@ForAll @Size(min = 2, max = 8) List<@IntRange(min = 0, max = 30) Integer> loads,
      @ForAll long seed) {
    List<ServiceInstance> list = Instances.named(loads.size());
    TwoChoiceBalancer balancer = (TwoChoiceBalancer) LoadBalancer.leastRequest(new Random(seed));
    balancer.select(list, GET).ifPresent(picked -> balancer.recordSuccess(picked, Duration.ofNanos(1)));
    for (int i = 0; i < list.size(); i++) {
      balancer.statsOf(list.get(i).id()).inFlight.set(loads.get(i));
    }
    int max = loads.stream().mapToInt(Integer::intValue).max().orElseThrow();
    boolean uniqueMax = loads.stream().filter(load -> load == max).count() == 1;
    for (int pick = 0; pick < 100; pick++) {
      ServiceInstance picked = balancer.pick(list, GET, List.of());
      if (uniqueMax) {
        assertThat(loads.get(list.indexOf(picked))).isLessThan(max);
      }
      balancer.recordSuccess(picked, Duration.ofNanos(1)); // back to the same loads
    }
  }

  @Property(tries = 200)
  void peakEwmaNeverPicksTheSlowestIdleInstance(@ForAll @Size(min = 2, max = 8) List<@IntRange(min = 1, max = 500) Integer> latenciesMs,
      @ForAll long seed) {
    List<ServiceInstance> list = Instances.named(latenciesMs.size());
    FakeTicker ticker = new FakeTicker();
    TwoChoiceBalancer balancer = (TwoChoiceBalancer) LoadBalancer.peakEwma(Duration.ofSeconds(10), ticker, new Random(seed));
    balancer.select(list, GET).ifPresent(picked -> balancer.recordFailure(picked, new RuntimeException()));
    for (int i = 0; i < list.size(); i++) {
      LoadStats stats = balancer.statsOf(list.get(i).id());
      stats.inFlight.set(0);
      stats.ewmaNanos = latenciesMs.get(i) * 1_000_000.0;
      stats.stampNanos = ticker.nanoTime();
    }
    int max = latenciesMs.stream().mapToInt(Integer::intValue).max().orElseThrow();
    boolean uniqueMax = latenciesMs.stream().filter(latency -> latency == max).count() == 1;
    Map<ServiceInstance, Integer> counts = new HashMap<>();
    for (int pick = 0; pick < 100; pick++) {
      ServiceInstance picked = balancer.pick(list, GET, List.of());
      counts.merge(picked, 1, Integer::sum);
      // Recording the instance's own latency keeps every cost as it was.
      balancer.recordSuccess(picked, Duration.ofMillis(latenciesMs.get(list.indexOf(picked))));
    }
    if (uniqueMax) {
      assertThat(counts).doesNotContainKey(list.get(latenciesMs.indexOf(max)));
    }
  }

  @Property(tries = 200)
  void everyPickIsReleasedByItsRecord(@ForAll @IntRange(min = 1, max = 10) int size,
      @ForAll @IntRange(min = 1, max = 100) int picks, @ForAll long seed) {
    List<ServiceInstance> list = Instances.named(size);
    for (Kind kind : List.of(Kind.LEAST_REQUEST, Kind.PEAK_EWMA)) {
      TwoChoiceBalancer balancer = (TwoChoiceBalancer) kind.make.apply(seed);
      List<ServiceInstance> outstanding = new ArrayList<>();
      for (int i = 0; i < picks; i++) {
        outstanding.add(balancer.pick(list, GET, List.of()));
      }
      Random random = new Random(seed);
      for (ServiceInstance picked : outstanding) {
        record(balancer, picked, random);
      }
      for (ServiceInstance instance : list) {
        LoadStats stats = balancer.statsOf(instance.id());
        assertThat(stats == null ? 0 : stats.inFlight.get()).isZero();
      }
    }
  }

  @Provide
  Arbitrary<List<HealthStatus>> healthMixes() {
    return Arbitraries.of(HealthStatus.class).list().ofMinSize(1).ofMaxSize(12);
  }

  private static void record(LoadBalancer balancer, ServiceInstance picked, Random random) {
    if (random.nextBoolean()) {
      balancer.recordSuccess(picked, Duration.ofMillis(1 + random.nextInt(50)));
    } else {
      balancer.recordFailure(picked, new RuntimeException("failed"));
    }
  }

  private static Map<ServiceInstance, Integer> counts(LoadBalancer balancer, List<ServiceInstance> list, int picks) {
    Map<ServiceInstance, Integer> counts = new HashMap<>();
    for (int i = 0; i < picks; i++) {
      ServiceInstance picked = balancer.select(list, GET).orElseThrow();
      balancer.recordSuccess(picked, Duration.ofMillis(1));
      counts.merge(picked, 1, Integer::sum);
    }
    return counts;
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
