package io.meshwork.controlplane.server.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwork.controlplane.server.store.StateStore;
import io.meshwork.fleet.api.FleetConfig;
import io.meshwork.fleet.api.Registration;
import io.meshwork.fleet.api.SecurityRule;
import io.meshwork.fleet.api.TrafficRule;
import io.meshwork.fleet.api.WireFormat;
import io.meshwork.security.CertificateAuthority;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's state, typed, as the store holds it: rules, config, registrations, issued
 * certificates, bootstrap and admin tokens. Reads answer from memory; writes go to the store and are
 * applied here once it has them (and again, harmlessly, when its watch brings them back), so that
 * every controller of a fleet on etcd sees the same state. A revoked certificate is revoked in the CA
 * here, whichever controller revoked it, so every controller's CRL lists it.
 */
public final class FleetState {

  private static final Logger log = LoggerFactory.getLogger(FleetState.class);
  private static final ObjectMapper JSON = WireFormat.mapper();
  private static final String CONFIG = "config";
  private static final String TRAFFIC = "traffic-rules/";
  private static final String SECURITY = "security-rules/";
  private static final String REGISTRATIONS = "registrations/";
  private static final String CERTIFICATES = "certificates/";
  private static final String TOKENS = "bootstrap-tokens/";
  private static final String ADMIN_TOKENS = "admin-tokens/";

  private final StateStore store;
  private final CertificateAuthority authority;
  private volatile FleetConfig config = FleetConfig.empty();
  private final NavigableMap<String, TrafficRule> traffic = new ConcurrentSkipListMap<>();
  private final NavigableMap<String, SecurityRule> security = new ConcurrentSkipListMap<>();
  private final NavigableMap<String, Registration> registrations = new ConcurrentSkipListMap<>();
  private final NavigableMap<String, CertificateRecord> certificates = new ConcurrentSkipListMap<>();
  private final Map<String, BootstrapToken> tokens = new ConcurrentHashMap<>();
  private final Set<String> adminTokens = ConcurrentHashMap.newKeySet();
  private final Set<BigInteger> revoked = ConcurrentHashMap.newKeySet();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  /** The state in {@code store}, read now and followed; revocations go to {@code authority}. */
  public FleetState(StateStore store, CertificateAuthority authority) {
    this.store = store;
    this.authority = authority;
    store.listen(change -> apply(change.key(), change.value()));
  }

  /** Calls {@code listener} after every change of the state. */
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  public FleetConfig config() {
    return config;
  }

  /** Every traffic rule, in the order they were added. */
  public List<TrafficRule> trafficRules() {
    return List.copyOf(traffic.values());
  }

  /** Every security rule, in the order they were added. */
  public List<SecurityRule> securityRules() {
    return List.copyOf(security.values());
  }

  /** Every registration made through the API, by {@code namespace/service/id}. */
  public Map<String, Registration> registrations() {
    return Map.copyOf(registrations);
  }

  /** The registration of that instance, or null. */
  public Registration registration(String namespace, String service, String id) {
    return registrations.get(namespace + "/" + service + "/" + id);
  }

  /** Every certificate issued, by serial. */
  public List<CertificateRecord> certificates() {
    return List.copyOf(certificates.values());
  }

  /** The certificate with {@code serial} (hexadecimal), or null. */
  public CertificateRecord certificate(String serial) {
    return certificates.get(serial);
  }

  public List<BootstrapToken> tokens() {
    return List.copyOf(tokens.values());
  }

  public BootstrapToken token(String id) {
    return tokens.get(id);
  }

  /** Whether {@code hash} is the SHA-256 of an admin token of one of the fleet's controllers. */
  public boolean isAdminTokenHash(String hash) {
    return adminTokens.contains(hash);
  }

  public boolean isRevoked(BigInteger serial) {
    return serial != null && revoked.contains(serial);
  }

  /** The revoked serials. */
  public Set<BigInteger> revoked() {
    return Set.copyOf(revoked);
  }

  public CompletableFuture<Void> putConfig(FleetConfig value) {
    return write(CONFIG, value);
  }

  public CompletableFuture<Void> putTrafficRule(TrafficRule rule) {
    return write(TRAFFIC + rule.id(), rule);
  }

  public CompletableFuture<Void> deleteTrafficRule(String id) {
    return delete(TRAFFIC + id);
  }

  public CompletableFuture<Void> putSecurityRule(SecurityRule rule) {
    return write(SECURITY + rule.id(), rule);
  }

  public CompletableFuture<Void> deleteSecurityRule(String id) {
    return delete(SECURITY + id);
  }

  public CompletableFuture<Void> putRegistration(Registration registration) {
    return write(REGISTRATIONS + registration.namespace() + "/" + registration.serviceName() + "/" + registration.id(),
        registration);
  }

  public CompletableFuture<Void> deleteRegistration(String namespace, String service, String id) {
    return delete(REGISTRATIONS + namespace + "/" + service + "/" + id);
  }

  public CompletableFuture<Void> putCertificate(CertificateRecord record) {
    return write(CERTIFICATES + record.serial(), record);
  }

  public CompletableFuture<Void> putToken(BootstrapToken token) {
    return write(TOKENS + token.id(), token);
  }

  public CompletableFuture<Void> deleteToken(String id) {
    return delete(TOKENS + id);
  }

  /** Accepts the admin token whose SHA-256 is {@code hash}, in every controller of the fleet. */
  public CompletableFuture<Void> putAdminTokenHash(String hash) {
    return store.put(ADMIN_TOKENS + hash, "{}").thenRun(() -> apply(ADMIN_TOKENS + hash, "{}"));
  }

  private CompletableFuture<Void> write(String key, Object value) {
    String json;
    try {
      json = JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(e);
    }
    return store.put(key, json).thenRun(() -> apply(key, json));
  }

  private CompletableFuture<Void> delete(String key) {
    return store.delete(key).thenRun(() -> apply(key, null));
  }

  /** One change from the store (or of this controller's own write); idempotent. */
  private synchronized void apply(String key, String value) {
    try {
      if (key.equals(CONFIG)) {
        config = value == null ? FleetConfig.empty() : JSON.readValue(value, FleetConfig.class);
      } else if (key.startsWith(TRAFFIC)) {
        put(traffic, key.substring(TRAFFIC.length()), value, TrafficRule.class);
      } else if (key.startsWith(SECURITY)) {
        put(security, key.substring(SECURITY.length()), value, SecurityRule.class);
      } else if (key.startsWith(REGISTRATIONS)) {
        put(registrations, key.substring(REGISTRATIONS.length()), value, Registration.class);
      } else if (key.startsWith(CERTIFICATES)) {
        CertificateRecord record = put(certificates, key.substring(CERTIFICATES.length()), value,
            CertificateRecord.class);
        if (record != null && record.isRevoked()) {
          BigInteger serial = new BigInteger(record.serial(), 16);
          revoked.add(serial);
          authority.revoke(serial);
        }
      } else if (key.startsWith(TOKENS)) {
        put(tokens, key.substring(TOKENS.length()), value, BootstrapToken.class);
      } else if (key.startsWith(ADMIN_TOKENS)) {
        if (value == null) {
          adminTokens.remove(key.substring(ADMIN_TOKENS.length()));
        } else {
          adminTokens.add(key.substring(ADMIN_TOKENS.length()));
        }
      } else {
        return; // the CA's own keys: FleetAuthority reads them
      }
    } catch (IOException e) {
      log.error("ignoring an unreadable state entry {}: {}", key, e.getMessage());
      return;
    }
    for (Runnable listener : listeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        log.error("state listener failed", e);
      }
    }
  }

  private static <T> T put(Map<String, T> map, String id, String value, Class<T> type) throws IOException {
    if (value == null) {
      map.remove(id);
      return null;
    }
    T parsed = JSON.readValue(value, type);
    map.put(id, parsed);
    return parsed;
  }

  /** The traffic rules of {@code namespace/service}, in order. */
  public List<TrafficRule> trafficRules(String namespace, String service) {
    List<TrafficRule> rules = new ArrayList<>();
    for (TrafficRule rule : traffic.values()) {
      if (rule.namespace().equals(namespace) && rule.service().equals(service)) {
        rules.add(rule);
      }
    }
    return rules;
  }
}
