package io.meshwork.netty.testing;

/**
 * The last leak check of a run, closed by JUnit when the engine ends: a buffer that became garbage
 * only after its class's own check (a server shared by the whole run and closed last, a thread that
 * dropped it late) is still found, blamed on its class, and fails the run.
 */
final class FinalLeakCheck implements AutoCloseable {

  /** Collections run more often here: nothing is left to run that would notice a leak later. */
  private static final int ROUNDS = 4;

  @Override
  public void close() {
    LeakRecorder.owner("the end of the run");
    for (int round = 0; round < ROUNDS; round++) {
      LeakRecorder.flush();
    }
    LeakReports.failIfAny(LeakRecorder.takeAll(), "after the last test class");
  }
}
