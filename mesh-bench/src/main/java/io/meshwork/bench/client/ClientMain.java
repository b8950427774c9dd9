package io.meshwork.bench.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwork.MeshRequest;
import io.meshwork.policy.Protocol;
import io.meshwork.security.CertificateAuthority;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One compared client in its own JVM, so the CPU it reports is its own. The harness starts it with
 * the backend's ports and the phases to run; it prints progress lines and, last, one line
 * {@code RESULT <json>}. It exits when its standard input closes, so it never outlives the harness.
 *
 * <pre>
 * --kind limit|limit-h2|meshwork|meshwork-h2|meshwork-mtls|armeria|haproxy   which client
 * --ports P,P,..        backend ports (for haproxy: the proxy's port)
 * --ports-file F        the same, one line, for long lists
 * --threads T           event loop threads (2)
 * --lb NAME             Meshwork balancer: roundRobin, leastRequest, peakEwma (roundRobin)
 * --count-attempts Y    Meshwork: count attempts (in all and per port) with a mesh listener
 * --ca-dir D            the shared certificate authority (meshwork-mtls)
 * --probe-port P        meshwork-mtls: a plaintext port a call must fail against
 * --sidecar-pid PID     the proxy whose CPU counts as client CPU (haproxy)
 * --prewarm MS         first a closed loop of 16 callers for MS ms on a throwaway client (JIT warm-up)
 * --closed C,WARM,MEAS[,MAXWARM]  closed loop: concurrency, warm-up and window in ms; the warm-up goes
 *                       on while the JIT is busy, up to MAXWARM ms; each caller's first call is sent
 *                       from its own thread ("spread")
 * --one-thread C,WARM,MEAS[,MAXWARM]  then a closed loop whose callers' first calls all come from one
 *                       thread; its warm-up too goes on while the JIT is busy, up to MAXWARM ms
 * --setup W,N           Meshwork: then W + N calls one at a time, each on a new connection; N measured
 * --open R,WARM,MEAS    open loop: rate per second, warm-up and window in ms
 * --heap S,I            heap after GC with S services x I instances
 * --paired NAME,R,N     only the CPU per call of a paired comparison (see {@link PairedCpu}): R rounds of N calls
 * </pre>
 *
 * <p>Meshwork's telemetry is chosen with the JVM property {@code -Dmeshwork.bench.telemetry=on|off}
 * (see {@link BenchTelemetry}); the backend's meshes read the same property.
 */
public final class ClientMain {

  private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(20);

  private ClientMain() {}

  public static void main(String[] args) throws Exception {
    watchStandardInput();
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    Map<String, Object> result = new LinkedHashMap<>();
    String kind = options.getOrDefault("kind", "limit");
    result.put("kind", kind);
    try {
      run(kind, options, result);
    } catch (Throwable e) {
      result.put("failure", String.valueOf(e));
      e.printStackTrace();
    }
    System.out.println("RESULT " + new ObjectMapper().writeValueAsString(result));
    System.out.flush();
    System.exit(0); // clients may leave non-daemon threads behind: the result is out, so stop here
  }

  private static void run(String kind, Map<String, String> options, Map<String, Object> result) throws Exception {
    if (options.containsKey("paired")) {
      List<String> paired = List.of(options.get("paired").split(","));
      result.put("paired", PairedCpu.measure(paired.get(0), Integer.parseInt(paired.get(1)),
          Integer.parseInt(paired.get(2))));
      return;
    }
    List<Integer> ports = options.containsKey("ports-file")
        ? ints(Files.readString(Path.of(options.get("ports-file"))).trim())
        : ints(options.getOrDefault("ports", ""));
    int threads = Integer.parseInt(options.getOrDefault("threads", "2"));
    CertificateAuthority authority = null;
    if (options.containsKey("ca-dir")) {
      Path dir = Path.of(options.get("ca-dir"));
      authority = CertificateAuthority.load(dir.resolve(CertificateAuthority.CERTIFICATE_FILE),
          dir.resolve(CertificateAuthority.PRIVATE_KEY_FILE));
    }
    if (options.containsKey("heap")) {
      List<Integer> shape = ints(options.get("heap"));
      result.put("heap", HeapProbe.measure(kind, shape.get(0), shape.get(1), ports, threads, authority));
      return;
    }
    CpuClock cpu = new CpuClock(Long.parseLong(options.getOrDefault("sidecar-pid", "0")));
    String balancer = options.getOrDefault("lb", "roundRobin");
    if (options.containsKey("prewarm")) {
      // A throwaway client: the JIT gets warm, but no balancer or breaker state carries over.
      progress(kind + ": warming up");
      try (LoadClient warm = open(kind, ports, threads, balancer, authority, false)) {
        ClosedLoop.run(warm, cpu, 16, 0, millis(Integer.parseInt(options.get("prewarm"))), DRAIN_NANOS);
      }
    }
    boolean countAttempts = options.containsKey("count-attempts");
    try (LoadClient client = open(kind, ports, threads, balancer, authority, countAttempts)) {
      if (kind.equals("meshwork-mtls") && options.containsKey("probe-port")) {
        String unavailable = plaintextProbe((MeshworkClient) client, Integer.parseInt(options.get("probe-port")));
        if (unavailable != null) {
          result.put("unavailable", unavailable);
          return;
        }
      }
      if (options.containsKey("closed")) {
        List<Integer> closed = ints(options.get("closed"));
        progress(kind + ": closed loop, " + closed.get(0) + " callers");
        long maxWarmup = closed.size() > 3 ? millis(closed.get(3)) : millis(closed.get(1));
        result.put("closed", ClosedLoop.run(client, cpu, closed.get(0), false, millis(closed.get(1)), maxWarmup,
            millis(closed.get(2)), DRAIN_NANOS).toMap());
      }
      if (options.containsKey("one-thread")) {
        List<Integer> closed = ints(options.get("one-thread"));
        progress(kind + ": closed loop, " + closed.get(0) + " callers started from one thread");
        // The switch of callers from their own threads to one thread sends the JIT back to work (a
        // deoptimization of the hot path, seen with -XX:+PrintCompilation): its warm-up waits for it too.
        long maxWarmup = closed.size() > 3 ? millis(closed.get(3)) : millis(closed.get(1));
        result.put("oneThread", ClosedLoop.run(client, cpu, closed.get(0), true, millis(closed.get(1)),
            maxWarmup, millis(closed.get(2)), DRAIN_NANOS).toMap());
      }
      if (options.containsKey("open")) {
        List<Integer> open = ints(options.get("open"));
        progress(kind + ": open loop, " + open.get(0) + " req/s");
        result.put("open", OpenLoop.run(client, cpu, open.get(0), millis(open.get(1)), millis(open.get(2)),
            DRAIN_NANOS).toMap());
      }
    }
    if (options.containsKey("setup")) {
      List<Integer> setup = ints(options.get("setup"));
      progress(kind + ": connection set-up, " + setup.get(1) + " calls on new connections");
      result.put("setup", ConnectionSetup.measure(ports, threads, authority, setup.get(0), setup.get(1)));
    }
  }

  private static LoadClient open(String kind, List<Integer> ports, int threads, String balancer,
      CertificateAuthority authority, boolean countAttempts) {
    return switch (kind) {
      case "limit", "haproxy" -> new PlainHttpClient(loopback(ports), threads);
      case "limit-h2" -> new PlainHttp2Client(loopback(ports), threads);
      case "meshwork" -> new MeshworkClient(ports, threads, balancer, null, countAttempts);
      case "meshwork-h2" -> new MeshworkClient(ports, threads, balancer, null, countAttempts, Protocol.HTTP_2,
          false);
      case "meshwork-mtls" -> {
        if (authority == null) {
          throw new IllegalArgumentException("meshwork-mtls needs --ca-dir");
        }
        yield new MeshworkClient(ports, threads, balancer, authority, countAttempts);
      }
      case "armeria" -> new ArmeriaClient(ports, threads);
      default -> throw new IllegalArgumentException("kind: " + kind
          + " (expected: limit, limit-h2, meshwork, meshwork-h2, meshwork-mtls, armeria or haproxy)");
    };
  }

  private static List<InetSocketAddress> loopback(List<Integer> ports) {
    List<InetSocketAddress> targets = new ArrayList<>();
    for (int port : ports) {
      targets.add(new InetSocketAddress("127.0.0.1", port));
    }
    return targets;
  }

  /**
   * Null when the mTLS mesh refuses to talk plaintext; otherwise why mTLS is not in effect: a call
   * through the mTLS mesh to a plaintext server must fail, since a STRICT client insists on TLS.
   */
  private static String plaintextProbe(MeshworkClient client, int plaintextPort) {
    client.register("plaintext-probe", List.of(plaintextPort));
    try {
      int status = client.call("plaintext-probe", MeshRequest.get("/"))
          .get(5, TimeUnit.SECONDS).status();
      return "the STRICT mTLS client got HTTP " + status + " from a plaintext server: the transport does not"
          + " apply TLS yet";
    } catch (Exception e) {
      return null; // refused, as it must be
    }
  }

  private static long millis(int ms) {
    return Duration.ofMillis(ms).toNanos();
  }

  private static List<Integer> ints(String csv) {
    List<Integer> values = new ArrayList<>();
    for (String part : csv.split(",")) {
      if (!part.isBlank()) {
        values.add(Integer.parseInt(part.trim()));
      }
    }
    return values;
  }

  static void progress(String line) {
    System.out.println("PROGRESS " + line);
    System.out.flush();
  }

  /** Exits when the harness closes our standard input (it stopped or died). */
  private static void watchStandardInput() {
    Thread watcher = new Thread(() -> {
      InputStream in = System.in;
      try {
        while (in.read() >= 0) {
          // nothing is sent on it; only its end matters
        }
      } catch (IOException e) {
        // treated as the end
      }
      Runtime.getRuntime().halt(3);
    }, "stdin-watch");
    watcher.setDaemon(true);
    watcher.start();
  }
}
