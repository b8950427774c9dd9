package io.meshwork.internal;

import io.meshwork.MeshServer;
import io.meshwork.internal.telemetry.Instruments;
import io.meshwork.transport.ConnectionStats;
import io.meshwork.transport.TlsCredentials;
import java.util.Collection;
import java.util.function.ToLongFunction;

/**
 * The mesh-wide series read from the transport and the credentials when scraped: TLS handshakes of
 * every destination's client and every server, and the seconds left on this workload's certificate.
 */
final class MeshGauges {

  private MeshGauges() {}

  /** Registers them in {@code instruments}; does nothing when metrics are off. */
  static void register(Instruments instruments, String identity, TlsCredentials credentials,
      Collection<Destination> destinations, Collection<MeshServer> servers) {
    if (instruments == null) {
      return;
    }
    instruments.handshakes(() -> sumClients(destinations, ConnectionStats::handshakes), "client", "success");
    instruments.handshakes(() -> sumClients(destinations, ConnectionStats::handshakeFailures), "client", "failure");
    instruments.handshakes(() -> sumServers(servers, ConnectionStats::handshakes), "server", "success");
    instruments.handshakes(() -> sumServers(servers, ConnectionStats::handshakeFailures), "server", "failure");
    if (credentials != null) {
      instruments.certificateExpiry(() -> (credentials.current().certificate().getNotAfter().getTime()
          - System.currentTimeMillis()) / 1000.0, identity != null ? identity : "unknown");
    }
  }

  private static long sumClients(Collection<Destination> destinations, ToLongFunction<ConnectionStats> field) {
    long total = 0;
    for (Destination destination : destinations) {
      total += field.applyAsLong(destination.client.stats());
    }
    return total;
  }

  private static long sumServers(Collection<MeshServer> servers, ToLongFunction<ConnectionStats> field) {
    long total = 0;
    for (MeshServer server : servers) {
      if (server instanceof DefaultMeshServer served) {
        total += field.applyAsLong(served.stats());
      }
    }
    return total;
  }
}
