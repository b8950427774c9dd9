package io.meshwork.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How a client exchange picks its loop, and how the loops count what is in flight. */
class EventLoopsTest {

  private final EventLoops loops = new EventLoops(3, false, "loops-test");

  @AfterEach
  void stop() {
    loops.shutdown(Duration.ofSeconds(5));
  }

  @Test
  void otherThreadsGoToTheLeastLoadedLoop() {
    assertThat(loops.startExchange()).as("all idle: the first loop").isEqualTo(0);
    assertThat(loops.startExchange()).isEqualTo(1);
    assertThat(loops.startExchange()).isEqualTo(2);
    assertThat(loops.startExchange()).isEqualTo(0);
    loops.endExchange(2);
    assertThat(loops.startExchange()).as("loop 2 has the fewest in flight").isEqualTo(2);
    assertThat(loops.exchangesInFlight(0)).isEqualTo(2);
    assertThat(loops.exchangesInFlight(1)).isEqualTo(1);
    assertThat(loops.exchangesInFlight(2)).isEqualTo(1);
  }

  @Test
  void aThreadCallingOneAtATimeKeepsToOneLoop() {
    for (int i = 0; i < 10; i++) {
      int index = loops.startExchange();
      assertThat(index).isEqualTo(0);
      loops.endExchange(index);
    }
  }

  @Test
  void aLoopKeepsItsOwnExchangesHoweverLoaded() throws Exception {
    for (int i = 0; i < 5; i++) {
      loops.countExchange(1);
    }
    int picked = loops.loop(1).submit(loops::startExchange).get(5, TimeUnit.SECONDS);
    assertThat(picked).isEqualTo(1);
    assertThat(loops.exchangesInFlight(1)).isEqualTo(6);
    assertThat(loops.currentIndex()).as("the test thread runs no loop").isEqualTo(-1);
  }
}
