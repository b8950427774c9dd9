package io.meshwork.netty.testing.leaks;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

/** Allocates and releases: the control that shows the run fails for the leak, not for running. */
class CleanFixture {

  @Test
  void releasesWhatItAllocates() {
    ByteBuf buffer = Leaks.allocate();
    buffer.release();
  }
}
