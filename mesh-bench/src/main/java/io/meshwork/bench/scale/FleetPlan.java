package io.meshwork.bench.scale;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Who is who in a simulated fleet: process {@code p} is an instance of service {@code p mod S}, so
 * that each of the {@code S = processes / instancesPerService} services has that many instances, and
 * calls {@code callsPerProcess} other services drawn from a seed. The catalogue grows with the fleet,
 * as in a real one: 100 processes make 10 services, 5,000 make 500.
 *
 * @param processes the number of simulated processes
 * @param instancesPerService instances of each service (K)
 * @param callsPerProcess the services each process calls
 * @param seed the seed of who calls what
 */
record FleetPlan(int processes, int instancesPerService, int callsPerProcess, long seed) {

  /** Checks the figures. */
  FleetPlan {
    if (processes < 1 || instancesPerService < 1 || callsPerProcess < 1) {
      throw new IllegalArgumentException("processes, instancesPerService, callsPerProcess: " + processes + ", "
          + instancesPerService + ", " + callsPerProcess + " (expected: >= 1 each)");
    }
  }

  /** How many services the fleet has. */
  int services() {
    return Math.max(callsPerProcess + 1, processes / instancesPerService);
  }

  /** The service process {@code process} is an instance of. */
  String serviceOf(int process) {
    return service(process % services());
  }

  /** The name of service number {@code index}. */
  static String service(int index) {
    return "svc-" + index;
  }

  /** The services process {@code process} calls: never its own, none twice. */
  List<String> callsOf(int process) {
    SplittableRandom random = new SplittableRandom(seed * 1_000_003L + process);
    int own = process % services();
    List<String> calls = new ArrayList<>();
    while (calls.size() < callsPerProcess) {
      int pick = random.nextInt(services());
      if (pick != own && !calls.contains(service(pick))) {
        calls.add(service(pick));
      }
    }
    return calls;
  }

  /** The processes that are instances of service number {@code index}. */
  List<Integer> instancesOf(int index) {
    List<Integer> instances = new ArrayList<>();
    for (int p = index; p < processes; p += services()) {
      instances.add(p);
    }
    return instances;
  }

  /** The processes that call {@code service}. */
  List<Integer> callersOf(String service) {
    List<Integer> callers = new ArrayList<>();
    for (int p = 0; p < processes; p++) {
      if (callsOf(p).contains(service)) {
        callers.add(p);
      }
    }
    return callers;
  }

  /** The address of process {@code process} in its {@code generation} (a restarted process moves). */
  static String host(int process, int generation) {
    return "10." + generation + "." + (process / 256) + "." + (process % 256);
  }
}
