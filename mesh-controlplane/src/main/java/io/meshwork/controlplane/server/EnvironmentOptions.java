package io.meshwork.controlplane.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code MESHWORK_*} environment variables: each is one option of the command line in the form a
 * container platform sets (an image's {@code ENV}, a Kubernetes {@code env:}). The command line reads
 * them first and its flags after, so a flag wins over its variable. An empty variable counts as unset;
 * other {@code MESHWORK_*} names are left alone (Kubernetes adds {@code <SERVICE>_PORT} variables of
 * its own, and meshes read {@code MESHWORK_BOOTSTRAP_TOKEN}).
 */
final class EnvironmentOptions {

  /** Each variable and the flag it stands for, in the order of the usage text. */
  static final Map<String, String> FLAGS = flags();

  private EnvironmentOptions() {}

  /** The options {@code environment} sets, as {@link Option}s named by their variables. */
  static List<Option> read(Map<String, String> environment) {
    List<Option> options = new ArrayList<>();
    for (Map.Entry<String, String> entry : FLAGS.entrySet()) {
      String variable = entry.getKey();
      String value = environment.get(variable);
      if (value == null || value.isBlank()) {
        continue;
      }
      String flag = entry.getValue();
      switch (flag) {
        case "--admin-identity" -> {
          for (String identity : value.split(",")) {
            if (!identity.isBlank()) {
              options.add(new Option(variable, flag, identity.strip()));
            }
          }
        }
        case "--open-reads" -> options.add(new Option(variable, flag, bool(variable, value)));
        case "--tls" -> options.add(new Option(variable, flag, bool(variable, value)));
        default -> options.add(new Option(variable, flag, value.strip()));
      }
    }
    return options;
  }

  /** The usage lines of the variables. */
  static String usage() {
    StringBuilder text = new StringBuilder("environment (a flag wins over its variable):");
    for (Map.Entry<String, String> entry : FLAGS.entrySet()) {
      String flag = entry.getValue();
      String form = switch (flag) {
        case "--admin-identity" -> "--admin-identity, comma-separated";
        case "--open-reads" -> "true: --open-reads (true or false)";
        case "--tls" -> "false: --no-tls (true or false)";
        default -> flag;
      };
      text.append(String.format("%n  %-32s %s", entry.getKey(), form));
    }
    return text.toString();
  }

  private static String bool(String variable, String value) {
    String lower = value.strip().toLowerCase(java.util.Locale.ROOT);
    if (!lower.equals("true") && !lower.equals("false")) {
      throw new IllegalArgumentException(variable + ": '" + value + "' (expected: true or false)");
    }
    return lower;
  }

  private static Map<String, String> flags() {
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("MESHWORK_PORT", "--port");
    flags.put("MESHWORK_HOST", "--host");
    flags.put("MESHWORK_DATA_DIR", "--data-dir");
    flags.put("MESHWORK_ADMIN_TOKEN_FILE", "--admin-token-file");
    flags.put("MESHWORK_ETCD_ENDPOINTS", "--etcd");
    flags.put("MESHWORK_ETCD_PREFIX", "--etcd-prefix");
    flags.put("MESHWORK_ETCD_LEASE_TTL", "--etcd-lease-ttl");
    flags.put("MESHWORK_TRUST_DOMAIN", "--trust-domain");
    flags.put("MESHWORK_ADMIN_IDENTITIES", "--admin-identity");
    flags.put("MESHWORK_OPEN_READS", "--open-reads");
    flags.put("MESHWORK_TLS", "--tls");
    flags.put("MESHWORK_MAX_BODY_BYTES", "--max-body-bytes");
    flags.put("MESHWORK_MAX_CERTIFICATE_TTL", "--max-certificate-ttl");
    flags.put("MESHWORK_HEALTH_CHECK_INTERVAL", "--health-check-interval");
    return java.util.Collections.unmodifiableMap(flags);
  }

  /**
   * One option: {@code source} names it in errors (the flag as typed, or the variable), {@code flag} is
   * its canonical flag and {@code value} its text ({@code true}/{@code false} for the switches).
   */
  record Option(String source, String flag, String value) {}
}
