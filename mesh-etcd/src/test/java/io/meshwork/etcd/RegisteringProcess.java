package io.meshwork.etcd;

import io.meshwork.registry.ServiceInstance;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A separate JVM that registers one instance and then only keeps its lease alive, so that a test can
 * kill it as a crashed process dies: without deregistering, without revoking.
 *
 * <p>Arguments: etcd endpoint, service, instance id, port, lease TTL in seconds.
 */
public final class RegisteringProcess {

  private RegisteringProcess() {}

  /** Registers, prints {@code REGISTERED}, then waits until killed (or until the test JVM is gone). */
  public static void main(String[] args) throws Exception {
    EtcdServiceRegistry registry = EtcdServiceRegistry.builder().endpoints(args[0])
        .leaseTtl(Duration.ofSeconds(Long.parseLong(args[4]))).build();
    registry.register(ServiceInstance.builder(args[1], args[2]).host("127.0.0.1")
        .port(Integer.parseInt(args[3])).build()).get(10, TimeUnit.SECONDS);
    System.out.println("REGISTERED");
    System.out.flush();
    // Until the test kills this process; should the test JVM die first, its end of the pipe closes
    // and this process ends too rather than live on as an orphan.
    while (System.in.read() != -1) {
      // nothing is ever written
    }
    System.exit(0);
  }
}
