package io.meshwork.loadbalancer;

import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/** Random sources for balancers. */
final class Randoms {

  private Randoms() {}

  /** A generator that draws from the calling thread's {@link ThreadLocalRandom}. */
  static RandomGenerator threadLocal() {
    return ThreadLocalSource.INSTANCE;
  }

  private enum ThreadLocalSource implements RandomGenerator {
    INSTANCE;

    @Override
    public long nextLong() {
      return ThreadLocalRandom.current().nextLong();
    }

    @Override
    public int nextInt(int bound) {
      return ThreadLocalRandom.current().nextInt(bound);
    }

    @Override
    public double nextDouble() {
      return ThreadLocalRandom.current().nextDouble();
    }
  }
}
