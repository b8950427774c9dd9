package io.meshwork.loadbalancer;

import io.meshwork.MeshHeaders;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A named load-balancing policy with its parameters: a value (equal specs make equal balancers) that
 * makes one fresh balancer per destination. It is what {@code ServicePolicy.loadBalancer} holds by
 * default and what {@code mesh.yaml} spells {@code peakEwma}, {@code roundRobin},
 * {@code {ringHash: {header: x-user-id}}}... Unlike a lambda, it can be compared (a reloaded policy
 * whose balancer did not change keeps its balancers) and written back to YAML.
 *
 * <pre>{@code
 * ServicePolicy.builder().loadBalancer(LoadBalancerSpec.ringHash("x-user-id")).build();
 * }</pre>
 *
 * @param kind which balancer
 * @param header the request header hashed by {@link Kind#RING_HASH} (lower case); null for the others
 * @param decay how fast {@link Kind#PEAK_EWMA} forgets a slow sample; null for the others
 */
public record LoadBalancerSpec(Kind kind, String header, Duration decay) implements Supplier<LoadBalancer> {

  private static final Duration DEFAULT_DECAY = PeakEwmaBalancer.DEFAULT_DECAY;

  /** The balancers a spec can name, each with the name {@code mesh.yaml} gives it. */
  public enum Kind {
    /** {@link LoadBalancer#roundRobin()}. */
    ROUND_ROBIN("roundRobin"),
    /** {@link LoadBalancer#weightedRoundRobin()}. */
    WEIGHTED_ROUND_ROBIN("weightedRoundRobin"),
    /** {@link LoadBalancer#random()}. */
    RANDOM("random"),
    /** {@link LoadBalancer#leastRequest()}. */
    LEAST_REQUEST("leastRequest"),
    /** {@link LoadBalancer#peakEwma(Duration)}; takes a decay. */
    PEAK_EWMA("peakEwma"),
    /** {@link LoadBalancer#ringHash(String)}; takes a header. */
    RING_HASH("ringHash");

    private final String id;

    Kind(String id) {
      this.id = id;
    }

    /** The name in {@code mesh.yaml}, such as {@code roundRobin}. */
    public String id() {
      return id;
    }
  }

  /** Checks that each kind has exactly the parameters it takes; keeps the header in lower case. */
  public LoadBalancerSpec {
    Objects.requireNonNull(kind, "kind");
    if (kind == Kind.RING_HASH) {
      if (header == null || header.isBlank()) {
        throw new IllegalArgumentException("header: '" + header + "' (expected: the request header"
            + " ringHash hashes, such as x-user-id)");
      }
      header = MeshHeaders.of(header, "").names().iterator().next(); // a header token, lower case
    } else if (header != null) {
      throw new IllegalArgumentException("header: '" + header + "' (expected: none; only ringHash"
          + " hashes a header)");
    }
    if (kind == Kind.PEAK_EWMA) {
      if (decay == null || decay.isNegative() || decay.isZero()) {
        throw new IllegalArgumentException("decay: " + decay + " (expected: > 0)");
      }
    } else if (decay != null) {
      throw new IllegalArgumentException("decay: " + decay + " (expected: none; only peakEwma decays)");
    }
  }

  /** Round robin over the instances. */
  public static LoadBalancerSpec roundRobin() {
    return new LoadBalancerSpec(Kind.ROUND_ROBIN, null, null);
  }

  /** Smooth weighted round robin. */
  public static LoadBalancerSpec weightedRoundRobin() {
    return new LoadBalancerSpec(Kind.WEIGHTED_ROUND_ROBIN, null, null);
  }

  /** A uniformly random instance. */
  public static LoadBalancerSpec random() {
    return new LoadBalancerSpec(Kind.RANDOM, null, null);
  }

  /** Least request of two random choices. */
  public static LoadBalancerSpec leastRequest() {
    return new LoadBalancerSpec(Kind.LEAST_REQUEST, null, null);
  }

  /** Peak-EWMA with the default 10 s decay: the default balancer. */
  public static LoadBalancerSpec peakEwma() {
    return new LoadBalancerSpec(Kind.PEAK_EWMA, null, DEFAULT_DECAY);
  }

  /** Peak-EWMA forgetting a slow sample over {@code decay}. */
  public static LoadBalancerSpec peakEwma(Duration decay) {
    return new LoadBalancerSpec(Kind.PEAK_EWMA, null, decay);
  }

  /** Consistent hashing on the value of request header {@code header}. */
  public static LoadBalancerSpec ringHash(String header) {
    return new LoadBalancerSpec(Kind.RING_HASH, header, null);
  }

  /** A new balancer of this kind; the mesh binds it to its ticker and random source. */
  @Override
  public LoadBalancer get() {
    return switch (kind) {
      case ROUND_ROBIN -> LoadBalancer.roundRobin();
      case WEIGHTED_ROUND_ROBIN -> LoadBalancer.weightedRoundRobin();
      case RANDOM -> LoadBalancer.random();
      case LEAST_REQUEST -> LoadBalancer.leastRequest();
      case PEAK_EWMA -> LoadBalancer.peakEwma(decay);
      case RING_HASH -> LoadBalancer.ringHash(header);
    };
  }

  /** The spec as a person reads it: {@code peakEwma}, {@code ringHash(header=x-user-id)}. */
  @Override
  public String toString() {
    if (kind == Kind.RING_HASH) {
      return kind.id() + "(header=" + header + ")";
    }
    if (kind == Kind.PEAK_EWMA && !decay.equals(DEFAULT_DECAY)) {
      return kind.id() + "(decay=" + decay.toString().substring(2).toLowerCase(Locale.ROOT) + ")";
    }
    return kind.id();
  }
}
