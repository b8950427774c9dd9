package io.meshwork.controlplane.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.meshwork.controlplane.server.state.FleetState;
import io.meshwork.controlplane.server.state.RegistryMirror;
import io.meshwork.fleet.api.Endpoint;
import io.meshwork.fleet.api.FleetView;
import io.meshwork.fleet.api.WireFormat;
import io.meshwork.security.CertificateAuthority;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The state joined meshes watch, built once per change: config, rules, every registered service's
 * instances, and the CA's CRL. Its revision is a digest of that content (the CRL by its revoked
 * serials), so any controller of a fleet names the same state the same way, and a mesh that moves
 * to another controller, or outlives a restart, resumes where it was. The CRL is signed again when
 * the revocations change, and every 30 minutes so it never ages past its next update.
 */
public final class FleetViews {

  private static final Duration CRL_REFRESH = Duration.ofMinutes(30);

  private final FleetState state;
  private final RegistryMirror registry;
  private final CertificateAuthority authority;
  private volatile Snapshot cached;
  private Set<BigInteger> crlSerials;
  private String crl;
  private Instant crlSigned = Instant.EPOCH;

  public FleetViews(FleetState state, RegistryMirror registry, CertificateAuthority authority) {
    this.state = state;
    this.registry = registry;
    this.authority = authority;
  }

  /** The state now. */
  public Snapshot current() {
    Snapshot snapshot = cached;
    if (snapshot == null) {
      snapshot = build();
      cached = snapshot;
    }
    return snapshot;
  }

  /** Forgets the built state: something changed. */
  public void invalidate() {
    cached = null;
  }

  /** The CA's CRL, signed again when revocations changed or it aged. */
  public synchronized String crl() {
    Set<BigInteger> revoked = state.revoked();
    if (crl == null || !revoked.equals(crlSerials) || crlSigned.plus(CRL_REFRESH).isBefore(Instant.now())) {
      crl = authority.crlPem();
      crlSerials = revoked;
      crlSigned = Instant.now();
      cached = null;
    }
    return crl;
  }

  private synchronized Snapshot build() {
    String crlPem = crl();
    Map<String, List<Endpoint>> instances = new LinkedHashMap<>();
    for (String service : registry.services()) {
      instances.put(service, registry.endpoints(service));
    }
    FleetView content = new FleetView(null, state.config(), state.trafficRules(), state.securityRules(), instances,
        null);
    try {
      byte[] digestInput = WireFormat.mapper().writeValueAsBytes(List.of(content, new TreeSet<>(crlSerials)));
      String revision = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(digestInput), 0, 10);
      FleetView view = new FleetView(revision, content.config(), content.trafficRules(), content.securityRules(),
          instances, crlPem);
      return new Snapshot(view, WireFormat.mapper().writeValueAsBytes(view));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot write the fleet's state", e);
    }
  }

  /**
   * One built state.
   *
   * @param view the state
   * @param json its JSON
   */
  public record Snapshot(FleetView view, byte[] json) {

    /** Its revision. */
    public String revision() {
      return view.revision();
    }

    /** Its JSON as text. */
    public String text() {
      return new String(json, StandardCharsets.UTF_8);
    }
  }
}
