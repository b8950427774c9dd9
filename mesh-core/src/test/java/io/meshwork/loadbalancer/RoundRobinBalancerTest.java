package io.meshwork.loadbalancer;

import static io.meshwork.loadbalancer.Instances.healthy;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.MeshRequest;
import io.meshwork.registry.ServiceInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoundRobinBalancerTest {

  private static final MeshRequest GET = MeshRequest.get("/");

  private final ServiceInstance a = healthy("a");
  private final ServiceInstance b = healthy("b");
  private final ServiceInstance c = healthy("c");

  @Test
  void roundRobinOverABCReturnsABCA() {
    LoadBalancer balancer = LoadBalancer.roundRobin();
    List<ServiceInstance> list = List.of(a, b, c);
    assertThat(picks(balancer, list, 4)).containsExactly(a, b, c, a);
  }

  @Test
  void keepsItsTurnWhenTheListIsRebuiltEqual() {
    LoadBalancer balancer = LoadBalancer.roundRobin();
    List<ServiceInstance> picked = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      picked.add(balancer.select(List.of(a, b, c), GET).orElseThrow());
    }
    assertThat(picked).containsExactly(a, b, c, a);
  }

  @Test
  void staysFairAcrossTheIntOverflowBoundary() {
    // A counter that started near Integer.MAX_VALUE: an int index would go negative and fail.
    LoadBalancer balancer = new RoundRobinBalancer(Integer.MAX_VALUE - 4L);
    List<ServiceInstance> list = List.of(a, b, c);
    List<ServiceInstance> picked = picks(balancer, list, 12);
    for (int i = 3; i < picked.size(); i++) {
      assertThat(picked.get(i)).isSameAs(picked.get(i - 3));
    }
    assertThat(picked.subList(0, 3)).containsExactlyInAnyOrder(a, b, c);
  }

  @Test
  void staysFairPastTwoToTheThirtyTwoPicks() {
    LoadBalancer balancer = new RoundRobinBalancer((1L << 32) - 2);
    List<ServiceInstance> picked = picks(balancer, List.of(a, b, c), 9);
    assertThat(picked.subList(0, 3)).containsExactlyInAnyOrder(a, b, c);
    assertThat(picked.subList(3, 6)).containsExactlyElementsOf(picked.subList(0, 3));
    assertThat(picked.subList(6, 9)).containsExactlyElementsOf(picked.subList(0, 3));
  }

  @Test
  void anEmptyListHasNothingToPick() {
    LoadBalancer balancer = LoadBalancer.roundRobin();
    assertThat(balancer.select(List.of(), GET)).isEmpty();
  }

  @Test
  void aRetryAvoidsTheInstancesAlreadyTried() {
    LoadBalancer balancer = LoadBalancer.roundRobin();
    List<ServiceInstance> list = List.of(a, b, c);
    for (int i = 0; i < 9; i++) {
      ServiceInstance picked = balancer.pick(list, GET, List.of(a, b));
      assertThat(picked).isSameAs(c);
      balancer.recordSuccess(picked, Duration.ofMillis(1));
    }
    assertThat(balancer.pick(list, GET, List.of(a, b, c))).isIn(a, b, c);
  }

  private static List<ServiceInstance> picks(LoadBalancer balancer, List<ServiceInstance> list, int count) {
    List<ServiceInstance> picked = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ServiceInstance instance = balancer.select(list, GET).orElseThrow();
      balancer.recordSuccess(instance, Duration.ofMillis(1));
      picked.add(instance);
    }
    return picked;
  }
}
