package io.meshwork;

import io.meshwork.loadbalancer.LoadBalancer;
import io.meshwork.registry.ServiceInstance;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real balancer, watched: counts what the mesh asks of it through the public interface only. */
final class RecordingBalancer implements LoadBalancer {

  private final LoadBalancer delegate;
  volatile int selects;
  final List<ServiceInstance> successes = new CopyOnWriteArrayList<>();
  final List<ServiceInstance> failures = new CopyOnWriteArrayList<>();

  RecordingBalancer(LoadBalancer delegate) {
    this.delegate = delegate;
  }

  @Override
  public synchronized Optional<ServiceInstance> select(List<ServiceInstance> instances, MeshRequest request) {
    selects++;
    return delegate.select(instances, request);
  }

  @Override
  public void recordSuccess(ServiceInstance instance, Duration latency) {
    successes.add(instance);
    delegate.recordSuccess(instance, latency);
  }

  @Override
  public void recordFailure(ServiceInstance instance, Throwable cause) {
    failures.add(instance);
    delegate.recordFailure(instance, cause);
  }
}
