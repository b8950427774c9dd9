package io.meshwork.bench.scale;

import io.meshwork.transport.InboundHandler;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.transport.ClientOptions;
import io.meshwork.transport.InMemoryTransport;
import io.meshwork.transport.ServerOptions;
import io.meshwork.transport.Transport;
import io.meshwork.transport.TransportClient;
import io.meshwork.transport.TransportServer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The network of a simulated process. Its instances register themselves and serve nothing, so a call
 * to one is answered at once with the id of the instance the balancer picked, and a caller can see
 * which instances its picker uses; an instance this transport serves ({@link #bind}, on an in-memory
 * network) gets the call itself. For one tracked destination it records when the mesh told the
 * transport that the destination's instances changed ({@link TransportClient#retain}), which is when
 * the destination's picker is rebuilt.
 */
final class RecordingTransport implements Transport {

  private final InMemoryTransport network = new InMemoryTransport();
  /** The {@code host port} of every server bound here. */
  private final Set<String> served = ConcurrentHashMap.newKeySet();
  private volatile String tracked;
  private final List<Observation> observations = new ArrayList<>(); // guarded by itself

  /** What the picker of the tracked destination held, from when (wall clock, microseconds). */
  record Observation(long micros, List<String> ids) {}

  /** Records the changes of {@code service} from now on, forgetting earlier ones. */
  void track(String service) {
    synchronized (observations) {
      observations.clear();
    }
    tracked = service;
  }

  /** What was recorded since {@link #track}. */
  List<Observation> observations() {
    synchronized (observations) {
      return List.copyOf(observations);
    }
  }

  @Override
  public TransportClient client(ClientOptions options) {
    String service = options.service();
    TransportClient toServers = network.client(options);
    return new TransportClient() {
      @Override
      public CompletableFuture<MeshResponse> send(ServiceInstance instance, MeshRequest request, long timeoutNanos) {
        if (!served.isEmpty() && served.contains(key(instance.host(), instance.port()))) {
          return toServers.send(instance, request, timeoutNanos);
        }
        return CompletableFuture.completedFuture(MeshResponse.ok(instance.id()));
      }

      @Override
      public void retain(Collection<ServiceInstance> instances) {
        if (service.equals(tracked)) {
          long micros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
          List<String> ids = instances.stream().map(ServiceInstance::id).sorted().toList();
          synchronized (observations) {
            observations.add(new Observation(micros, ids));
          }
        }
      }

      @Override
      public void close() {
        toServers.close();
      }
    };
  }

  /** Serves {@code handler} on the in-memory network; this transport's clients send to it. */
  @Override
  public TransportServer bind(ServerOptions options, InboundHandler handler) {
    TransportServer server = network.bind(options, handler);
    String key = key(options.host(), server.port());
    served.add(key);
    return new TransportServer() {
      @Override
      public int port() {
        return server.port();
      }

      @Override
      public void close(Duration grace) {
        served.remove(key);
        server.close(grace);
      }
    };
  }

  @Override
  public void close() {
    served.clear();
    network.close();
  }

  private static String key(String host, int port) {
    return host + " " + port;
  }
}
