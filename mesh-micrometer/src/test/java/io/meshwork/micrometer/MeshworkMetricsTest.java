package io.meshwork.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.Mesh;
import io.meshwork.MeshRequest;
import io.meshwork.MeshResponse;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.transport.InMemoryTransport;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A mesh's metrics bound to a Micrometer registry: every series a meter, new ones as they appear. */
class MeshworkMetricsTest {

  private final InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
  private final InMemoryTransport transport = new InMemoryTransport();
  private final Mesh users = Mesh.builder().service("user-service").registry(registry).transport(transport).build();
  private final Mesh orders = Mesh.builder().service("order-service").registry(registry).transport(transport).build();

  @AfterEach
  void close() {
    orders.close();
    users.close();
    transport.close();
  }

  @Test
  void everySeriesBecomesAMeterReadingTheMeshsOwnCounts() {
    users.serve(0, request -> CompletableFuture.completedFuture(
        request.path().equals("/missing") ? MeshResponse.of(404) : MeshResponse.ok("u")));
    for (int i = 0; i < 3; i++) {
      orders.call("user-service", MeshRequest.get("/users/" + i)).join();
    }
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    MeshworkMetrics binder = MeshworkMetrics.of(orders).withTags(List.of(Tag.of("app", "orders")));
    binder.bindTo(meters);

    FunctionCounter calls = meters.get("meshwork.client.calls").tags("service", "user-service", "route", "default",
        "outcome", "success", "app", "orders").functionCounter();
    assertThat(calls.count()).isEqualTo(3);
    FunctionTimer duration = meters.get("meshwork.client.call.duration").tag("status", "200").functionTimer();
    assertThat(duration.count()).isEqualTo(3);
    assertThat(duration.totalTime(TimeUnit.SECONDS)).isGreaterThanOrEqualTo(0);
    assertThat(meters.get("http.client.request.duration").tag("http.request.method", "GET").functionTimer().count())
        .isEqualTo(3);
    Gauge healthy = meters.get("meshwork.registry.instances").tags("service", "user-service", "health", "healthy")
        .gauge();
    assertThat(healthy.value()).isEqualTo(1);

    orders.call("user-service", MeshRequest.get("/users/4")).join();
    assertThat(calls.count()).isEqualTo(4); // the meter reads the mesh's recorder: no copy to keep in step

    orders.call("user-service", MeshRequest.get("/missing")).join();
    assertThat(meters.get("meshwork.client.call.duration").tag("status", "404").functionTimer().count())
        .isEqualTo(1); // a series that appeared after binding is bound too

    binder.close();
    orders.call("user-service", MeshRequest.builder().method("DELETE").path("/users/1").build()).join();
    assertThat(meters.find("meshwork.client.call.duration").tag("method", "DELETE").functionTimer()).isNull();
  }
}
