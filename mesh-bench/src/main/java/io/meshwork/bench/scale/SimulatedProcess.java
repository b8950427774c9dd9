package io.meshwork.bench.scale;

import io.meshwork.Mesh;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.etcd.EtcdServiceRegistry;
import io.meshwork.etcd.EtcdServiceRegistryBuilder;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One process of the simulated fleet: its own etcd registry (own lease, own watches, own cache) and
 * its own mesh over a {@link RecordingTransport}. What it shares with the other simulated processes
 * of its JVM: the registry's connection (one gRPC channel per group of processes) and its threads,
 * the mesh's scheduler, and the JVM itself.
 */
final class SimulatedProcess implements AutoCloseable {

  private final int index;
  private final ServiceInstance instance;
  private final List<String> calls;
  private final EtcdServiceRegistry registry;
  private final RecordingTransport transport = new RecordingTransport();
  private final Mesh mesh;

  private SimulatedProcess(int index, ServiceInstance instance, List<String> calls, EtcdServiceRegistry registry,
      Scheduler scheduler) {
    this.index = index;
    this.instance = instance;
    this.calls = calls;
    this.registry = registry;
    this.mesh = Mesh.builder().service(instance.service()).host(instance.host()).registry(registry)
        .transport(transport).scheduler(scheduler).shutdownGrace(Duration.ofMillis(1)).build();
  }

  /**
   * Starts process {@code index} in its {@code generation}: builds its registry (on the connection of
   * {@code sharing} when given, else on a new one to {@code endpoints}) and its mesh.
   */
  static SimulatedProcess start(FleetPlan plan, int index, int generation, String endpoints, boolean watchAll,
      EtcdServiceRegistry sharing, Scheduler scheduler) {
    EtcdServiceRegistryBuilder builder = EtcdServiceRegistry.builder().watchAllServices(watchAll)
        .requestTimeout(Duration.ofSeconds(20));
    if (sharing == null) {
      builder.endpoints(endpoints.split(","));
    } else {
      builder.sharingConnectionWith(sharing);
    }
    String host = FleetPlan.host(index, generation);
    ServiceInstance instance = ServiceInstance.builder(plan.serviceOf(index), host + ":8080").host(host)
        .port(8080).build();
    return new SimulatedProcess(index, instance, plan.callsOf(index), builder.build(), scheduler);
  }

  /** Registers its instance. */
  void register() throws Exception {
    registry.register(instance).get(60, TimeUnit.SECONDS);
  }

  /** Calls each of its services once, as a process at work does; returns how many calls succeeded. */
  int warm() throws Exception {
    int ok = 0;
    for (String service : calls) {
      MeshResponse response = mesh.call(service, MeshRequest.get("/")).get(60, TimeUnit.SECONDS);
      ok += response.status() == 200 ? 1 : 0;
    }
    return ok;
  }

  /** Calls {@code service} {@code times} times; returns the instance ids that answered. */
  List<String> answersOf(String service, int times) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      ids.add(mesh.call(service, MeshRequest.get("/")).get(60, TimeUnit.SECONDS).bodyAsString());
    }
    return ids;
  }

  int index() {
    return index;
  }

  ServiceInstance instance() {
    return instance;
  }

  List<String> calls() {
    return calls;
  }

  EtcdServiceRegistry registry() {
    return registry;
  }

  RecordingTransport transport() {
    return transport;
  }

  /** Stops as a process does: the mesh, then the registry (which revokes its lease: its instance goes). */
  @Override
  public void close() {
    mesh.close();
    registry.close();
  }
}
