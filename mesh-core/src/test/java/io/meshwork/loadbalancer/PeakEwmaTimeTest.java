package io.meshwork.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.MeshRequest;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.time.FakeTicker;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Peak-EWMA runs on the mesh's time, and each sample carries its own call's end. */
class PeakEwmaTimeTest {

  private static final MeshRequest GET = MeshRequest.get("/");
  private static final long MS = 1_000_000L;
  private final FakeTicker ticker = new FakeTicker();
  private final ServiceInstance only = Instances.healthy("only");

  private PeakEwmaBalancer bound(long seed) {
    return (PeakEwmaBalancer) LoadBalancer.peakEwma().bind(new BalancerEnvironment(ticker, new Random(seed)));
  }

  @Test
  void boundToTheMeshsFakeTickerItDecaysOnlyAsFakeTimeAdvances() {
    PeakEwmaBalancer balancer = bound(1);
    balancer.pick(List.of(only), GET, List.of());
    balancer.recordSuccess(only, 100 * MS, ticker.nanoTime());
    LoadStats stats = balancer.statsOf("only");
    double before = balancer.load(stats, balancer.now());
    assertThat(balancer.now()).isEqualTo(ticker.nanoTime());
    assertThat(balancer.load(stats, balancer.now())).isEqualTo(before);
    ticker.advance(java.time.Duration.ofSeconds(10));
    assertThat(balancer.load(stats, balancer.now())).isCloseTo(before / Math.E, org.assertj.core.data.Offset.offset(1.0));
  }

  @Test
  void aBalancerGivenItsOwnTickerKeepsIt() {
    FakeTicker own = new FakeTicker();
    LoadBalancer given = LoadBalancer.peakEwma(java.time.Duration.ofSeconds(10), own, new Random(1));
    assertThat(given.bind(new BalancerEnvironment(ticker, new Random(2)))).isSameAs(given);
  }

  @Test
  void aSampleIsStampedWithItsOwnCallsEndNotALaterCallsPick() {
    PeakEwmaBalancer balancer = bound(2);
    List<ServiceInstance> list = List.of(only);
    balancer.pick(list, GET, List.of()); // call A picked at 0
    ticker.advance(java.time.Duration.ofMillis(50));
    balancer.pick(list, GET, List.of()); // call B picked at 50 ms
    ticker.advance(java.time.Duration.ofMillis(50));
    balancer.recordSuccess(only, 100 * MS, 100 * MS); // A ends at 100 ms after 100 ms
    assertThat(balancer.statsOf("only").stampNanos).isEqualTo(100 * MS);
  }

  /**
   * Calls on one instance start and end in random order; after each record the stamp is the end of
   * some call recorded so far, never later than the latest of them.
   */
  @Property(tries = 300)
  void noSampleIsEverStampedAfterItsCallEnded(
      @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 0, max = 3) Integer> steps,
      @ForAll @Size(min = 40, max = 40) List<@IntRange(min = 1, max = 500) Integer> latenciesMs) {
    PeakEwmaBalancer balancer = bound(3);
    List<ServiceInstance> list = List.of(only);
    List<Long> starts = new ArrayList<>();
    long latestEnd = Long.MIN_VALUE;
    int next = 0;
    for (int step : steps) {
      if (step == 0 || starts.isEmpty()) {
        balancer.pick(list, GET, List.of());
        starts.add(ticker.nanoTime());
      } else if (step == 1) {
        ticker.advance(java.time.Duration.ofMillis(latenciesMs.get(next++ % latenciesMs.size())));
      } else {
        long start = starts.remove(step % starts.size());
        long end = ticker.nanoTime();
        balancer.recordSuccess(only, end - start, end);
        latestEnd = Math.max(latestEnd, end);
        assertThat(balancer.statsOf("only").stampNanos).isLessThanOrEqualTo(latestEnd);
      }
    }
  }
}
