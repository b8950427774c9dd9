package io.meshwork.netty.testing.leaks;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Holds an unreleased buffer until the whole run ends, like a server shared by the run and closed
 * last: the class's own check cannot see it, the final check must, and must blame this class.
 */
class LateLeakFixture {

  @RegisterExtension
  static final BeforeAllCallback HOLD_UNTIL_THE_END = LateLeakFixture::holdUntilTheEnd;

  private static final AtomicReference<ByteBuf> HELD = new AtomicReference<>();

  @Test
  void keepsABufferForLater() {
    HELD.set(Leaks.allocate());
  }

  private static void holdUntilTheEnd(ExtensionContext context) {
    // Closed when the engine ends; stored after the leak check's own entry, so JUnit closes it first.
    context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .put(LateLeakFixture.class, (AutoCloseable) () -> HELD.set(null));
  }
}
