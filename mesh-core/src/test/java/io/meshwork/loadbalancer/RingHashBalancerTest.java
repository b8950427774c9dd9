package io.meshwork.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.MeshRequest;
import io.meshwork.registry.ServiceInstance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RingHashBalancerTest {

  @Test
  void theSameKeyAlwaysGoesToTheSameInstance() {
    LoadBalancer balancer = LoadBalancer.ringHash("x-user");
    List<ServiceInstance> list = Instances.named(5);
    for (int key = 0; key < 50; key++) {
      MeshRequest request = MeshRequest.builder().header("x-user", "user-" + key).build();
      ServiceInstance first = balancer.select(list, request).orElseThrow();
      for (int again = 0; again < 3; again++) {
        assertThat(balancer.select(list, request)).contains(first);
      }
    }
  }

  @Test
  void removingOneInstanceMovesOnlyItsKeys() {
    List<ServiceInstance> before = Instances.named(10);
    List<ServiceInstance> after = new ArrayList<>(before);
    ServiceInstance removed = after.remove(3);
    Map<String, ServiceInstance> owners = owners(LoadBalancer.ringHash("k"), before, 10_000);
    Map<String, ServiceInstance> moved = owners(LoadBalancer.ringHash("k"), List.copyOf(after), 10_000);
    int changed = 0;
    for (Map.Entry<String, ServiceInstance> entry : owners.entrySet()) {
      if (!entry.getValue().equals(moved.get(entry.getKey()))) {
        changed++;
        assertThat(entry.getValue()).as("only keys of the removed instance move").isEqualTo(removed);
      }
    }
    // About 1/n of the keys: 1,000 of 10,000, allowing for the ring's unevenness.
    assertThat(changed).isBetween(600, 1500);
  }

  @Test
  void spreadsKeysRoughlyEvenly() {
    Map<String, ServiceInstance> owners = owners(LoadBalancer.ringHash("k"), Instances.named(8), 16_000);
    Map<ServiceInstance, Integer> counts = new HashMap<>();
    owners.values().forEach(owner -> counts.merge(owner, 1, Integer::sum));
    assertThat(counts).hasSize(8);
    assertThat(counts.values()).allSatisfy(count -> assertThat(count).isBetween(1200, 2800));
  }

  @Test
  void aRequestWithoutTheKeyStillGetsAnInstance() {
    LoadBalancer balancer = LoadBalancer.ringHash("x-user");
    List<ServiceInstance> list = Instances.named(4);
    HashSet<ServiceInstance> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      seen.add(balancer.select(list, MeshRequest.get("/")).orElseThrow());
    }
    assertThat(seen).hasSizeGreaterThan(1);
  }

  @Test
  void aRetryWalksToTheNextInstanceOnTheRing() {
    LoadBalancer balancer = LoadBalancer.ringHash("k");
    List<ServiceInstance> list = Instances.named(4);
    MeshRequest request = MeshRequest.builder().header("k", "some-key").build();
    ServiceInstance first = balancer.pick(list, request, List.of());
    ServiceInstance second = balancer.pick(list, request, List.of(first));
    assertThat(second).isNotEqualTo(first);
    assertThat(balancer.pick(list, request, List.of(first))).isEqualTo(second);
  }

  private static Map<String, ServiceInstance> owners(LoadBalancer balancer, List<ServiceInstance> list, int keys) {
    Map<String, ServiceInstance> owners = new HashMap<>();
    for (int key = 0; key < keys; key++) {
      String value = "key-" + key;
      owners.put(value, balancer.select(list, MeshRequest.builder().header("k", value).build()).orElseThrow());
    }
    return owners;
  }
}
