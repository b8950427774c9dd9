package io.meshwork.loadbalancer;

import io.meshwork.MeshRequest;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.time.Ticker;
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
 * picked instance. A balancer serves one service; use one instance per destination.
 *
 * <p>A balancer picks among the instances it is given. Which instances may be picked at all is
 * decided in one place, before the balancer: the mesh gives it only the instances that are healthy,
 * not ejected and not circuit-open (all healthy ones in panic mode). Balancers decide only how to
 * spread calls among those (the weighted ones skip weight 0).
 *
 * <p>The built-in balancers take no lock and allocate nothing to pick: each builds an immutable
 * snapshot of the instance list when the list changes, and picks from that snapshot. Made by the
 * factories without a ticker or random source, they take the mesh's through {@link #bind}.
 */
public interface LoadBalancer {

  /** Picks one of {@code instances} for {@code request}; empty when there is none to pick. */
  Optional<ServiceInstance> select(List<ServiceInstance> instances, MeshRequest request);

  /** The attempt on {@code instance} succeeded after {@code latency}. */
  void recordSuccess(ServiceInstance instance, Duration latency);

  /** The attempt on {@code instance} failed with {@code cause}. */
  void recordFailure(ServiceInstance instance, Throwable cause);

  /**
   * Picks one of {@code instances}, preferring one not in {@code avoid} (the instances earlier
   * attempts of the call tried); null when there is none. {@code hashKey} is the call's key for
   * consistent hashing (null when it has none). This is the form the mesh calls. The default filters
   * the list and calls {@link #select}; the built-in balancers do it without allocating.
   */
  default ServiceInstance pick(List<ServiceInstance> instances, MeshRequest request, String hashKey,
      Collection<ServiceInstance> avoid) {
    List<ServiceInstance> candidates = instances;
    if (!avoid.isEmpty()) {
      List<ServiceInstance> fresh = new ArrayList<>(instances.size());
      for (ServiceInstance instance : instances) {
        if (!avoid.contains(instance)) {
          fresh.add(instance);
        }
      }
      if (!fresh.isEmpty()) {
        candidates = fresh; // one select only: each select is followed by exactly one record
      }
    }
    return select(candidates, request).orElse(null);
  }

  /** {@link #pick(List, MeshRequest, String, Collection)} without a hash key. */
  default ServiceInstance pick(List<ServiceInstance> instances, MeshRequest request,
      Collection<ServiceInstance> avoid) {
    return pick(instances, request, null, avoid);
  }

  /**
   * {@link #recordSuccess(ServiceInstance, Duration)} with the latency in nanoseconds and the time
   * the attempt ended, on the mesh's ticker (this call's pick time plus its latency).
   */
  default void recordSuccess(ServiceInstance instance, long latencyNanos, long endNanos) {
    recordSuccess(instance, Duration.ofNanos(latencyNanos));
  }

  /** {@link #recordFailure(ServiceInstance, Throwable)}, knowing how long the attempt took and when it ended. */
  default void recordFailure(ServiceInstance instance, Throwable cause, long latencyNanos, long endNanos) {
    recordFailure(instance, cause);
  }

  /**
   * This balancer with the mesh's ticker and random source, called once when a destination's
   * balancer is made. The built-in balancers made without explicit sources return a copy that uses
   * {@code environment}'s; a balancer given its own sources (or a custom one) returns itself.
   */
  default LoadBalancer bind(BalancerEnvironment environment) {
    return this;
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

  /** A uniformly random instance, from the mesh's random source. */
  static LoadBalancer random() {
    return new RandomBalancer(null);
  }

  /** A uniformly random instance, drawn from {@code random} (which must be thread-safe). */
  static LoadBalancer random(RandomGenerator random) {
    return new RandomBalancer(Objects.requireNonNull(random, "random"));
  }

  /** Least request: of two random instances, the one with fewer calls in flight. */
  static LoadBalancer leastRequest() {
    return new LeastRequestBalancer(null);
  }

  /** Least request, drawing from {@code random} (which must be thread-safe). */
  static LoadBalancer leastRequest(RandomGenerator random) {
    return new LeastRequestBalancer(Objects.requireNonNull(random, "random"));
  }

  /**
   * Peak-EWMA, as Finagle and Linkerd: of two random instances, the one of lower cost, where cost is
   * the peak-sensitive moving average of latency times (in-flight + 1). A slower sample takes effect
   * at once; faster ones decay it over 10 s. Runs on the mesh's ticker and random source.
   */
  static LoadBalancer peakEwma() {
    return peakEwma(PeakEwmaBalancer.DEFAULT_DECAY);
  }

  /** Peak-EWMA with its decay time, on the mesh's ticker and random source. */
  static LoadBalancer peakEwma(Duration decay) {
    return new PeakEwmaBalancer(decay, null, null);
  }

  /** Peak-EWMA with its decay time, ticker and random source (thread-safe). */
  static LoadBalancer peakEwma(Duration decay, Ticker ticker, RandomGenerator random) {
    return new PeakEwmaBalancer(decay, Objects.requireNonNull(ticker, "ticker"),
        Objects.requireNonNull(random, "random"));
  }

  /**
   * Consistent hashing on the value of a request header: the same value goes to the same instance,
   * and removing one of n instances moves only the keys it held (about 1/n). A call's
   * {@code CallOptions.hashKey} takes precedence over the header. Requests without either go to a
   * random instance.
   */
  static LoadBalancer ringHash(String header) {
    Objects.requireNonNull(header, "header");
    return ringHash(request -> request.header(header));
  }

  /** Consistent hashing on a key taken from the request (null: a random instance). */
  static LoadBalancer ringHash(Function<MeshRequest, String> key) {
    return new RingHashBalancer(Objects.requireNonNull(key, "key"), null);
  }
}
