package io.meshwork.fleet;

import io.meshwork.loadbalancer.LoadBalancer;
import io.meshwork.loadbalancer.LoadBalancerSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The balancers the fleet config names, each a {@link LoadBalancerSpec}, so that two policies that
 * name the same balancer are equal (and a config that did not change it rebuilds nothing), an export
 * can tell which balancer a policy uses, and a joined mesh's config can be written as YAML (its admin
 * endpoint and dashboard show it so).
 */
public final class Balancers {

  private static final Map<String, Supplier<LoadBalancer>> BY_NAME = new LinkedHashMap<>();

  static {
    BY_NAME.put("round_robin", LoadBalancerSpec.roundRobin());
    BY_NAME.put("weighted_round_robin", LoadBalancerSpec.weightedRoundRobin());
    BY_NAME.put("random", LoadBalancerSpec.random());
    BY_NAME.put("least_request", LoadBalancerSpec.leastRequest());
    BY_NAME.put("peak_ewma", LoadBalancerSpec.peakEwma());
  }

  private Balancers() {}

  /** The supplier of the balancer named {@code name} (one of {@code FleetConfig.BALANCERS}). */
  public static Supplier<LoadBalancer> named(String name) {
    Supplier<LoadBalancer> supplier = BY_NAME.get(name);
    if (supplier == null) {
      throw new IllegalArgumentException("load_balancer: '" + name + "' (expected: one of " + BY_NAME.keySet() + ")");
    }
    return supplier;
  }

  /**
   * The name of the balancer {@code supplier} makes; {@code peak_ewma} (the mesh's default) for a
   * supplier that is none of the named ones, which only code can set.
   */
  public static String nameOf(Supplier<LoadBalancer> supplier) {
    for (Map.Entry<String, Supplier<LoadBalancer>> entry : BY_NAME.entrySet()) {
      if (entry.getValue().equals(supplier)) {
        return entry.getKey();
      }
    }
    return "peak_ewma";
  }
}
