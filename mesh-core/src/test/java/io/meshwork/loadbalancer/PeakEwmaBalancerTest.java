package io.meshwork.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.MeshRequest;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.time.FakeTicker;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PeakEwmaBalancerTest {

  private static final MeshRequest GET = MeshRequest.get("/");
  private final FakeTicker ticker = new FakeTicker();
  private final ServiceInstance fast = Instances.healthy("fast");
  private final ServiceInstance slow = Instances.healthy("slow");
  private final List<ServiceInstance> list = List.of(fast, slow);

  @Test
  void aSlowerSampleTakesEffectAtOnce() {
    LoadBalancer balancer = LoadBalancer.peakEwma(Duration.ofSeconds(10), ticker, new Random(1));
    warm(balancer, Duration.ofMillis(1), Duration.ofMillis(1));
    // One slow sample on "slow" is enough to steer every later pick away from it.
    pickAndRecord(balancer, slow, Duration.ofMillis(200));
    for (int i = 0; i < 50; i++) {
      ServiceInstance picked = balancer.select(list, GET).orElseThrow();
      assertThat(picked).isEqualTo(fast);
      balancer.recordSuccess(picked, Duration.ofMillis(1));
    }
  }

  @Test
  void anIdleSlowInstanceIsTriedAgainOnceItsCostHasDecayed() {
    LoadBalancer balancer = LoadBalancer.peakEwma(Duration.ofSeconds(10), ticker, new Random(2));
    warm(balancer, Duration.ofMillis(1), Duration.ofMillis(100));
    assertThat(balancer.select(list, GET)).contains(fast);
    balancer.recordSuccess(fast, Duration.ofMillis(1));
    ticker.advance(Duration.ofMinutes(2)); // 12 decay times: 100 ms decays below 1 ms
    // "fast" is picked again and reports a fresh 1 ms sample; idle "slow" has decayed meanwhile.
    pickAndRecord(balancer, fast, Duration.ofMillis(1));
    ServiceInstance picked = balancer.select(list, GET).orElseThrow();
    assertThat(picked).isEqualTo(slow);
    balancer.recordSuccess(picked, Duration.ofMillis(1));
  }

  @Test
  void aNewInstanceGetsOneProbeNotAFlood() {
    LoadBalancer balancer = LoadBalancer.peakEwma(Duration.ofSeconds(10), ticker, new Random(3));
    ServiceInstance fresh = Instances.healthy("fresh");
    warm(balancer, Duration.ofMillis(5), Duration.ofMillis(5));
    List<ServiceInstance> withFresh = List.of(fast, slow, fresh);
    int toFresh = 0;
    for (int i = 0; i < 30; i++) {
      // Picks without records: "fresh" has a call in flight and no sample after its first pick.
      if (balancer.select(withFresh, GET).orElseThrow().equals(fresh)) {
        toFresh++;
      }
    }
    assertThat(toFresh).isEqualTo(1);
  }

  private void warm(LoadBalancer balancer, Duration fastLatency, Duration slowLatency) {
    pickAndRecord(balancer, fast, fastLatency);
    pickAndRecord(balancer, slow, slowLatency);
  }

  /** Picks until {@code target} comes up, recording the others as fast, then records the target. */
  private void pickAndRecord(LoadBalancer balancer, ServiceInstance target, Duration latency) {
    for (int i = 0; i < 1000; i++) {
      ServiceInstance picked = balancer.pick(list, GET, List.of());
      if (picked.equals(target)) {
        balancer.recordSuccess(picked, latency);
        return;
      }
      balancer.recordSuccess(picked, Duration.ofMillis(1));
    }
    throw new AssertionError(target + " never picked");
  }
}
