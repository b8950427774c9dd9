package io.meshwork.reliability;

import io.meshwork.Mesh;
import io.meshwork.MeshBuilder;
import io.meshwork.netty.NettyTransport;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.registry.ServiceRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One row's run, the same for every fault: a client mesh of its own calls {@code users} under the
 * {@link Load}; once {@value #WARM} calls have succeeded the fault is injected, the load goes on for
 * {@value #DURING} calls, the fault is cleared (when it ends at all) and the load goes on for
 * {@value #AFTER} more calls.
 */
public final class RowRun {

  static final int WARM = 200;
  static final int DURING = 1500;
  static final int AFTER = 500;

  /** A step of a fault: its injection or its end. */
  @FunctionalInterface
  public interface Step {
    /** Does it. */
    void run() throws Exception;
  }

  private RowRun() {}

  /** The instances registered in memory, as {@code users-0}, {@code users-1}, ... */
  public static ServiceRegistry registry(List<Integer> ports) {
    InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
    for (int i = 0; i < ports.size(); i++) {
      registry.register(ServiceInstance.builder("users", "users-" + i).host("127.0.0.1").port(ports.get(i)).build())
          .join();
    }
    return registry;
  }

  /** Runs the row against {@code registry}; {@code clear} may be null for a fault that stays. */
  public static Outcome run(Row row, ServiceRegistry registry, Step inject, Step clear) throws Exception {
    return run(row, registry, inject, null, clear);
  }

  /**
   * Runs a row whose fault is defined by how long it lasts: the fault is cleared {@code length} after
   * its injection (null: after {@value #DURING} calls).
   */
  public static Outcome run(Row row, ServiceRegistry registry, Step inject, Duration length, Step clear)
      throws Exception {
    return run(row, UnaryOperator.identity(), registry, inject, length, clear);
  }

  /** Runs a row whose calling mesh is built with {@code setup} applied (such as its certificates). */
  public static Outcome run(Row row, UnaryOperator<MeshBuilder> setup, ServiceRegistry registry, Step inject,
      Duration length, Step clear) throws Exception {
    try (NettyTransport transport = NettyTransport.builder().eventLoopThreads(2).build();
        Mesh mesh = setup.apply(Mesh.builder().service("catalogue").registry(registry).transport(transport)
            .policy("users", Catalogue.policy())).build();
        Load load = Load.start(mesh, "users", WARM)) {
      load.faultStarts();
      inject.run();
      if (length == null) {
        load.awaitCalls(DURING);
      } else {
        load.runFor(length);
      }
      if (clear != null) {
        clear.run();
        load.faultEnds();
      }
      load.awaitCalls(AFTER);
      return load.stop(row);
    }
  }
}
