package io.meshwork.bench.micro;

import io.meshwork.Mesh;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.netty.NettyTransport;
import io.meshwork.policy.Protocol;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.transport.ClientOptions;
import io.meshwork.transport.InMemoryTransport;
import io.meshwork.transport.TransportClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one call costs the whole chain, above all in bytes allocated (run with {@code -prof gc}):
 * {@code mesh.call} through the public API with the default policy stack, over the in-memory
 * transport (no sockets; the handler answers on the calling thread with a response made once), next
 * to the same request sent straight through the transport client, which is the part of the call
 * outside the chain: the in-memory transport, its handshake and the serving mesh's inbound side.
 * The difference is the chain's own. Timers run on the Netty transport's timer wheel, as they do in
 * production, so that the deadline's timer costs what it costs there.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class CallAllocationBenchmark {

  private static final String SERVICE = "backend";
  private static final MeshRequest REQUEST = MeshRequest.get("/");
  private static final CompletableFuture<MeshResponse> ANSWER =
      CompletableFuture.completedFuture(MeshResponse.ok("ok"));
  private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(15);

  private InMemoryTransport transport;
  private NettyTransport timers;
  private Mesh server;
  private Mesh client;
  private TransportClient direct;
  private ServiceInstance instance;

  @Setup(Level.Trial)
  public void setUp() {
    InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
    transport = new InMemoryTransport();
    timers = NettyTransport.builder().eventLoopThreads(1).build();
    server = Mesh.builder().service(SERVICE).registry(registry).transport(transport).build();
    server.serve(0, request -> ANSWER);
    client = Mesh.builder().service("caller").registry(registry).transport(transport)
        .scheduler(timers.scheduler()).build();
    instance = registry.instances(SERVICE).get(0);
    direct = transport.client(new ClientOptions(SERVICE, Protocol.HTTP_1_1, Duration.ofSeconds(1), 1 << 20));
    if (client.call(SERVICE, REQUEST).join().status() != 200 || meshCallThroughTransport().status() != 200) {
      throw new IllegalStateException("the in-memory backend does not answer 200");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    client.close();
    server.close();
    transport.close();
    timers.close();
  }

  /** The whole call through the public API. */
  @Benchmark
  public MeshResponse meshCall() {
    return client.call(SERVICE, REQUEST).join();
  }

  /** The same request sent straight through the transport client: the part outside the chain. */
  @Benchmark
  public MeshResponse transportOnly() {
    return meshCallThroughTransport();
  }

  private MeshResponse meshCallThroughTransport() {
    return direct.send(instance, REQUEST, TIMEOUT_NANOS).join();
  }
}
