package io.meshwork.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.registry.InMemoryServiceRegistry;
import io.meshwork.registry.ServiceInstance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A DNS name that stops resolving: one instance of three is registered by a host name, and that
 * name stops resolving while the instance restarts on another port (as a rescheduled instance whose
 * record is gone). The test's JVM (a surefire execution of its own, see the pom) resolves names from
 * a hosts file this test owns ({@code jdk.net.hosts.file}) with no address cache; the machine's
 * /etc/hosts and DNS stay untouched.
 */
class DnsFaultTest {

  private static final String NAME = "flaky.catalogue.test";
  private static final Path HOSTS = Path.of(System.getProperty("catalogue.hosts", "target/catalogue-hosts"));

  static {
    // Before any lookup of this JVM: localhost as usual, and the instance's name.
    hosts("127.0.0.1 localhost\n127.0.0.1 " + NAME + "\n");
  }

  @Test
  void nameStopsResolving() throws Exception {
    assertThat(System.getProperty("jdk.net.hosts.file")).as("run by the pom's dns-row execution").isNotNull();
    assertThat(InetAddress.getByName(NAME).getHostAddress()).isEqualTo("127.0.0.1");
    try (ServerProcess first = ServerProcess.start(); ServerProcess second = ServerProcess.start();
        ServerProcess third = ServerProcess.start(); ServerProcess restarted = ServerProcess.start()) {
      InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
      registry.register(instance("users-0", "127.0.0.1", first.port())).join();
      registry.register(instance("users-1", "127.0.0.1", second.port())).join();
      registry.register(instance("users-2", NAME, third.port())).join();
      Catalogue.record(RowRun.run(new Row("17", "one instance of three registered by a DNS name that stops"
          + " resolving as the instance restarts on another port", 0.99), registry, () -> {
            hosts("127.0.0.1 localhost\n");
            third.kill();
            registry.register(instance("users-2", NAME, restarted.port())).join();
          }, null));
      assertThatThrownBy(() -> InetAddress.getByName(NAME)).as("the name no longer resolves")
          .isInstanceOf(UnknownHostException.class);
    }
  }

  private static ServiceInstance instance(String id, String host, int port) {
    return ServiceInstance.builder("users", id).host(host).port(port).build();
  }

  private static void hosts(String content) {
    try {
      Files.createDirectories(HOSTS.toAbsolutePath().getParent());
      Files.writeString(HOSTS, content);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + HOSTS, e);
    }
  }
}
