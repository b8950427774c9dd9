package io.meshwork.bench.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every phase of one run shares: the plan, the backend, the sidecar proxy, the shared CA, and
 * the way a client JVM is started and its result read.
 */
final class Session {

  final Plan plan;
  final Launcher launcher;
  final Console console;
  final Backend backend;
  final Haproxy proxy;
  final Path caDir;
  final Path profileDir;
  final Checks checks;
  private int runs;

  Session(Plan plan, Launcher launcher, Console console, Backend backend, Haproxy proxy, Path caDir,
      Path profileDir, Checks checks) {
    this.plan = plan;
    this.launcher = launcher;
    this.console = console;
    this.backend = backend;
    this.proxy = proxy;
    this.caDir = caDir;
    this.profileDir = profileDir;
    this.checks = checks;
  }

  /** Whether the mTLS client can be measured. */
  boolean mtlsAvailable() {
    return backend.mtlsUnavailable == null;
  }

  /**
   * The clients of the comparison, in their base order. A client that cannot run here (mTLS not in
   * force, HAProxy missing) is still listed: its run fails and so does the whole run, rather than
   * leaving it out and passing.
   */
  List<String> comparedKinds() {
    return List.of("limit", "meshwork", "limit-h2", "meshwork-h2", "meshwork-mtls", "meshwork-on-mesh-servers",
        "armeria", "haproxy");
  }

  /**
   * Runs one client JVM of {@code kind} against the backend with {@code phaseArgs} (such as
   * {@code --closed ...}) and returns its result. {@code lb} picks Meshwork's balancer.
   */
  Map<String, Object> runClient(String kind, String lb, List<Integer> ports, List<String> phaseArgs,
      Duration expected) {
    List<String> args = new ArrayList<>(List.of("--threads", "2", "--lb", lb));
    String clientKind = kind;
    switch (kind) {
      case "haproxy" -> {
        if (proxy == null) {
          return failed(kind, "haproxy is not installed (Debian package haproxy): the sidecar"
              + " path cannot be measured");
        }
        args.addAll(List.of("--ports", Integer.toString(proxy.port), "--sidecar-pid", Long.toString(proxy.pid())));
      }
      case "limit-h2", "meshwork-h2" -> args.addAll(List.of("--ports", csv(backend.h2)));
      case "meshwork-mtls" -> {
        if (!mtlsAvailable()) {
          return failed(kind, "mTLS not available: " + backend.mtlsUnavailable);
        }
        args.addAll(List.of("--ports", csv(backend.meshMtls), "--ca-dir", caDir.toString(),
            "--probe-port", Integer.toString(backend.plain.get(0))));
      }
      case "meshwork-on-mesh-servers" -> {
        if (!mtlsAvailable()) {
          return failed(kind, "its mTLS counterpart is not available: " + backend.mtlsUnavailable);
        }
        clientKind = "meshwork";
        args.addAll(List.of("--ports", csv(backend.meshPlain)));
      }
      default -> args.addAll(List.of("--ports", csv(ports)));
    }
    args.add(0, clientKind);
    args.add(0, "--kind");
    args.addAll(phaseArgs);
    List<String> jvm = new ArrayList<>(List.of("-Xms256m", "-Xmx1g", "-XX:+UseG1GC"));
    if (profileDir != null && clientKind.startsWith("meshwork")) {
      // The profile settings sample threads every 10 ms (a few hundred samples a run): every 1 ms here.
      jvm.add("-XX:StartFlightRecording=filename=" + profileDir.resolve(kind + "-" + (++runs) + ".jfr")
          + ",settings=profile,jdk.ExecutionSample#period=1ms,dumponexit=true");
    }
    ChildProcess child = launcher.startJava("client-" + kind + "-" + (++runs), jvm,
        "io.meshwork.bench.client.ClientMain", args);
    try {
      Map<String, Object> result = child.awaitResult(expected.plusSeconds(90));
      if (profileDir != null) {
        child.awaitExit(Duration.ofSeconds(60)); // the recording is written as the JVM exits: let it finish
      }
      return result;
    } finally {
      child.close();
    }
  }

  /** The result of a client that could not run: a failure of the run, never a skip. */
  private static Map<String, Object> failed(String kind, String why) {
    Map<String, Object> result = new java.util.LinkedHashMap<>();
    result.put("kind", kind);
    result.put("failure", why);
    return result;
  }

  static String csv(List<Integer> ports) {
    StringBuilder joined = new StringBuilder();
    for (int port : ports) {
      joined.append(joined.length() == 0 ? "" : ",").append(port);
    }
    return joined.toString();
  }

  static List<String> closedArgs(Plan plan) {
    return List.of("--closed", plan.concurrency() + "," + plan.closedWarmupMs() + "," + plan.closedMeasureMs()
        + "," + plan.closedMaxWarmupMs());
  }

  static List<String> openArgs(int rate, int warmupMs, int measureMs) {
    return List.of("--open", rate + "," + warmupMs + "," + measureMs);
  }
}
