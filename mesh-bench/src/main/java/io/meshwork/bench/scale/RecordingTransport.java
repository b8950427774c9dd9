package io.meshwork.bench.scale;

import io.meshwork.transport.InboundHandler;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.transport.ClientOptions;
import io.meshwork.transport.ServerOptions;
import io.meshwork.transport.Transport;
import io.meshwork.transport.TransportClient;
import io.meshwork.transport.TransportServer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The network of a simulated process: no network at all. A call is answered at once with the id of
 * the instance the balancer picked, so a caller can see which instances its picker uses; and for one
 * tracked destination it records when the mesh told the transport that the destination's instances
 * changed ({@link TransportClient#retain}), which is when the destination's picker is rebuilt.
 */
final class RecordingTransport implements Transport {

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
    return new TransportClient() {
      @Override
      public CompletableFuture<MeshResponse> send(ServiceInstance instance, MeshRequest request, long timeoutNanos) {
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
        // Nothing is held.
      }
    };
  }

  @Override
  public TransportServer bind(ServerOptions options, InboundHandler handler) {
    throw new UnsupportedOperationException("a simulated process registers its instance itself; it serves nothing");
  }

  @Override
  public void close() {
    // Nothing is held.
  }
}
