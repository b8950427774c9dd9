package io.meshwork.netty.testing.leaks;

import org.junit.jupiter.api.Test;

/** Leaks exactly as {@link LeakingFixture} does (same trace): it must fail as well. */
class SameLeakFixture {

  @Test
  void dropsTheSameBuffer() throws InterruptedException {
    Leaks.dropOne();
  }
}
