package io.meshwork.loadbalancer;

import io.meshwork.time.Ticker;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * What a mesh gives each balancer it makes (gRPC-Java's {@code LoadBalancer.Helper}): the mesh's
 * ticker and its random source, so that a balancer's time and choices follow a {@code FakeTicker}
 * and a seeded mesh in tests.
 *
 * @param ticker the mesh's source of time
 * @param random the mesh's random source; thread-safe
 */
public record BalancerEnvironment(Ticker ticker, RandomGenerator random) {

  /** Checks both fields. */
  public BalancerEnvironment {
    Objects.requireNonNull(ticker, "ticker");
    Objects.requireNonNull(random, "random");
  }
}
