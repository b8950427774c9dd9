package io.meshwork.loadbalancer;

import io.meshwork.MeshRequest;
import io.meshwork.registry.ServiceInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Picks the instance for one attempt of a call, and learns from its outcome. Each select (or
 * {@link #pick}) is followed by exactly one {@code recordSuccess} or {@code recordFailure} for the
 * picked instance. Unhealthy instances are never picked. A balancer serves one service; use one
 * instance per destination.
 *
 * <p>The built-in balancers take no lock and allocate nothing to pick: each builds an immutable
 * snapshot of the instance list when the list changes, and picks from that snapshot.
 */
public interface LoadBalancer {

  /** Picks a healthy instance of {@code instances} for {@code request}; empty when there is none. */
  Optional<ServiceInstance> select(List<ServiceInstance> instances, MeshRequest request);

  /** The attempt on {@code instance} succeeded after {@code latency}. */
  void recordSuccess(ServiceInstance instance, Duration latency);

  /** The attempt on {@code instance} failed with {@code cause}. */
  void recordFailure(ServiceInstance instance, Throwable cause);

  /**
   * Picks a healthy instance, preferring one not in {@code avoid} (the instances earlier attempts of
   * the call tried); null when there is none. This is the form the mesh calls. The default filters
   * the list and calls {@link #select}; the built-in balancers do it without allocating.
   */
  default ServiceInstance pick(List<ServiceInstance> instances, MeshRequest request,
      Collection<ServiceInstance> avoid) {
    List<ServiceInstance> candidates = instances;
    if (!avoid.isEmpty()) {
      List<ServiceInstance> fresh = new ArrayList<>(instances.size());
      boolean anyHealthy = false;
      for (ServiceInstance instance : instances) {
        if (!avoid.contains(instance)) {
          fresh.add(instance);
          anyHealthy |= instance.isHealthy();
        }
      }
      if (anyHealthy) {
        candidates = fresh; // one select only: each select is followed by exactly one record
      }
    }
    return select(candidates, request).orElse(null);
  }

  /** {@link #recordSuccess(ServiceInstance, Duration)} with the latency in nanoseconds. */
  default void recordSuccess(ServiceInstance instance, long latencyNanos) {
    recordSuccess(instance, Duration.ofNanos(latencyNanos));
  }

  /** {@link #recordFailure(ServiceInstance, Throwable)}, knowing how long the attempt took. */
  default void recordFailure(ServiceInstance instance, Throwable cause, long latencyNanos) {
    recordFailure(instance, cause);
  }

  /** Round robin over the healthy instances, in list order. */
  static LoadBalancer roundRobin() {
    return new RoundRobinBalancer(0);
  }

  /**
   * Smooth weighted round robin, as nginx: over one cycle of total-weight picks each instance is
   * picked as often as its weight, spread evenly. Weight 0 drains an instance.
   */
  static LoadBalancer weightedRoundRobin() {
    return new WeightedRoundRobinBalancer();
  }

  /** A uniformly random healthy instance. */
  static LoadBalancer random() {
    return random(Randoms.threadLocal());
  }

  /** A uniformly random healthy instance, drawn from {@code random} (which must be thread-safe). */
  static LoadBalancer random(RandomGenerator random) {
    return new RandomBalancer(random);
  }

  /** Least request: of two random instances, the one with fewer calls in flight. */
  static LoadBalancer leastRequest() {
    return leastRequest(Randoms.threadLocal());
  }

  /** Least request, drawing from {@code random} (which must be thread-safe). */
  static LoadBalancer leastRequest(RandomGenerator random) {
    return new LeastRequestBalancer(random);
  }

  /**
   * Peak-EWMA, as Finagle and Linkerd: of two random instances, the one of lower cost, where cost is
   * the peak-sensitive moving average of latency times (in-flight + 1). A slower sample takes effect
   * at once; faster ones decay it over 10 s.
   */
  static LoadBalancer peakEwma() {
    return peakEwma(Duration.ofSeconds(10), io.meshwork.time.Ticker.system(), Randoms.threadLocal());
  }

  /** Peak-EWMA with its decay time, ticker and random source (thread-safe). */
  static LoadBalancer peakEwma(Duration decay, io.meshwork.time.Ticker ticker, RandomGenerator random) {
    return new PeakEwmaBalancer(decay, ticker, random);
  }

  /**
   * Consistent hashing on the value of a request header: the same value goes to the same instance,
   * and removing one of n instances moves only the keys it held (about 1/n). Requests without the
   * header go to a random instance.
   */
  static LoadBalancer ringHash(String header) {
    Objects.requireNonNull(header, "header");
    return ringHash(request -> request.header(header));
  }

  /** Consistent hashing on a key taken from the request (null: a random instance). */
  static LoadBalancer ringHash(Function<MeshRequest, String> key) {
    return new RingHashBalancer(Objects.requireNonNull(key, "key"), Randoms.threadLocal());
  }
}
