package io.meshwork.fleet;

import io.meshwork.loadbalancer.LoadBalancer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The balancers the fleet config names, each one constant supplier, so that two policies that name
 * the same balancer are equal (and a config that did not change it rebuilds nothing), and an export
 * can tell which balancer a policy uses.
 */
public final class Balancers {

  private static final Map<String, Supplier<LoadBalancer>> BY_NAME = new LinkedHashMap<>();

  static {
    BY_NAME.put("round_robin", LoadBalancer::roundRobin);
    BY_NAME.put("weighted_round_robin", LoadBalancer::weightedRoundRobin);
    BY_NAME.put("random", LoadBalancer::random);
    BY_NAME.put("least_request", LoadBalancer::leastRequest);
    BY_NAME.put("peak_ewma", LoadBalancer::peakEwma);
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
      if (entry.getValue() == supplier) {
        return entry.getKey();
      }
    }
    return "peak_ewma";
  }
}
