package io.meshwork.netty.testing;

import io.meshwork.policy.Protocol;
import io.meshwork.registry.ServiceInstance;
import io.meshwork.transport.ClientOptions;
import java.time.Duration;

/** Small factories of the values transport tests need. */
public final class Instances {

  private Instances() {}

  /** An instance of {@code service} on 127.0.0.1:{@code port}. */
  public static ServiceInstance local(String service, int port) {
    return ServiceInstance.builder(service, "127.0.0.1:" + port).host("127.0.0.1").port(port).build();
  }

  /** Client options of {@code service}: 1 s connect timeout, 10 MiB responses. */
  public static ClientOptions client(String service, Protocol protocol) {
    return new ClientOptions(service, protocol, Duration.ofSeconds(1), 10 * 1024 * 1024);
  }
}
