package io.meshwork.netty.testing.leaks;

import org.junit.jupiter.api.Test;

/** A test class that drops a buffer unreleased: the build must fail because of it. */
class LeakingFixture {

  @Test
  void dropsABuffer() throws InterruptedException {
    Leaks.dropOne();
  }
}
