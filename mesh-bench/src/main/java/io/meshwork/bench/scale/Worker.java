package io.meshwork.bench.scale;

import java.util.Map;

/** A JVM's worth of simulated processes, as the coordinator drives it: in this JVM or in a child. */
interface Worker extends AutoCloseable {

  /** Runs one command and returns its reply. */
  Map<String, Object> call(String command, Map<String, Object> args) throws Exception;

  @Override
  void close();

  /** A worker in this JVM (the CI test's). */
  static Worker local(FleetWorker worker) {
    return new Worker() {
      @Override
      public Map<String, Object> call(String command, Map<String, Object> args) throws Exception {
        return WorkerCommands.run(worker, command, args);
      }

      @Override
      public void close() {
        worker.close();
      }
    };
  }
}
