package io.meshwork.controlplane.server;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The command line of the control plane:
 * {@code java -jar mesh-controlplane.jar --port 8080 [--etcd http://127.0.0.1:2379] ...}, each option also
 * settable by a {@code MESHWORK_*} environment variable ({@link EnvironmentOptions}). It prints
 * where it listens, the CA's fingerprint and the admin token's file (never the token), then serves
 * until stopped (Ctrl-C or SIGTERM).
 */
public final class Main {

  private Main() {}

  /** Starts the control plane and waits until the process is stopped. */
  public static void main(String[] args) throws InterruptedException {
    ControlPlaneServer server;
    try {
      server = parse(System.getenv(), args).start();
    } catch (IllegalArgumentException e) {
      System.err.println("mesh-controlplane: " + e.getMessage());
      System.err.println(usage());
      System.exit(2);
      return;
    } catch (RuntimeException e) {
      System.err.println("mesh-controlplane: cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "meshwork-controlplane-shutdown"));
    describe(server, System.out);
    stopped.await();
  }

  /** The start-up lines: address, identity, CA fingerprint, token file, store. */
  static void describe(ControlPlaneServer server, PrintStream out) {
    out.println("Meshwork control plane listening on " + server.uri()
        + (server.identity() != null ? " (plaintext and mTLS as " + server.identity() + ")" : " (plaintext)"));
    out.println("CA fingerprint (SHA-256): " + server.caFingerprint());
    out.println("admin token file: " + server.adminTokenFile().toAbsolutePath());
    out.println("store: " + server.store());
    out.flush();
  }

  /** The builder the arguments describe, without the environment. */
  static ControlPlaneServer.Builder parse(String[] args) {
    return parse(Map.of(), args);
  }

  /** The builder the {@code MESHWORK_*} variables of {@code environment}, then the arguments, describe. */
  static ControlPlaneServer.Builder parse(Map<String, String> environment, String[] args) {
    ControlPlaneServer.Builder builder = ControlPlaneServer.builder();
    List<EnvironmentOptions.Option> fromEnvironment = EnvironmentOptions.read(environment);
    List<EnvironmentOptions.Option> fromFlags = flags(args);
    // Flags are applied last, so they win; admin identities from flags replace the variable's list.
    boolean flagsNameAdmins = fromFlags.stream().anyMatch(option -> option.flag().equals("--admin-identity"));
    Set<String> admins = new LinkedHashSet<>();
    for (List<EnvironmentOptions.Option> options : List.of(fromEnvironment, fromFlags)) {
      boolean environmentOnes = options == fromEnvironment;
      for (EnvironmentOptions.Option option : options) {
        boolean admin = option.flag().equals("--admin-identity");
        if (admin && environmentOnes && flagsNameAdmins) {
          continue;
        }
        try {
          apply(builder, option);
        } catch (IllegalArgumentException e) {
          // The builder names its field (port: 70000); say which variable held the value.
          throw !environmentOnes || e.getMessage().startsWith(option.source()) ? e
              : new IllegalArgumentException(option.source() + "=" + option.value() + ": " + e.getMessage(), e);
        }
        if (admin) {
          admins.add(option.value());
        }
      }
    }
    if (!admins.isEmpty()) {
      builder.adminIdentities(Set.copyOf(admins));
    }
    return builder;
  }

  private static List<EnvironmentOptions.Option> flags(String[] args) {
    List<EnvironmentOptions.Option> options = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      switch (flag) {
        case "--help", "-h" -> {
          System.out.println(usage());
          System.exit(0);
        }
        case "--open-reads" -> options.add(new EnvironmentOptions.Option(flag, flag, "true"));
        case "--no-tls" -> options.add(new EnvironmentOptions.Option(flag, "--tls", "false"));
        default -> {
          if (!EnvironmentOptions.FLAGS.containsValue(flag) || flag.equals("--tls")) {
            throw new IllegalArgumentException(flag + ": unknown option");
          }
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException(flag + ": no value (expected: " + flag + " <value>)");
          }
          options.add(new EnvironmentOptions.Option(flag, flag, args[++i]));
        }
      }
    }
    return options;
  }

  private static void apply(ControlPlaneServer.Builder builder, EnvironmentOptions.Option option) {
    String name = option.source();
    String value = option.value();
    switch (option.flag()) {
      case "--port" -> builder.port(number(name, value));
      case "--host" -> builder.host(value);
      case "--data-dir" -> builder.dataDirectory(Path.of(value));
      case "--admin-token-file" -> builder.adminTokenFile(Path.of(value));
      case "--etcd" -> builder.etcd(endpoints(name, value));
      case "--etcd-prefix" -> builder.etcdPrefix(value);
      case "--etcd-lease-ttl" -> builder.etcdLeaseTtl(duration(name, value));
      case "--trust-domain" -> builder.trustDomain(value);
      // checked one by one, so that a bad one is named; parse() sets the whole list
      case "--admin-identity" -> builder.adminIdentities(Set.of(value));
      case "--open-reads" -> builder.openReads(Boolean.parseBoolean(value));
      case "--tls" -> builder.tls(Boolean.parseBoolean(value));
      case "--max-body-bytes" -> builder.maxBodyBytes(number(name, value));
      case "--max-certificate-ttl" -> builder.maxCertificateTtl(duration(name, value));
      case "--health-check-interval" -> builder.healthCheckInterval(duration(name, value));
      default -> throw new IllegalStateException("no setter for " + option.flag());
    }
  }

  private static List<URI> endpoints(String name, String value) {
    List<URI> endpoints = new ArrayList<>();
    for (String endpoint : value.split(",")) {
      try {
        endpoints.add(URI.create(endpoint.trim()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(name + ": '" + endpoint + "' (expected: http://host:port[,http://host:port...])");
      }
    }
    return endpoints;
  }

  private static int number(String flag, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + ": '" + value + "' (expected: a whole number)");
    }
  }

  private static Duration duration(String flag, String value) {
    try {
      return io.meshwork.fleet.api.DurationText.parse(flag, value);
    } catch (io.meshwork.fleet.api.FieldError e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  static String usage() {
    return String.join("\n",
        "usage: java -jar mesh-controlplane.jar [options]",
        "  --port <n>                   port to listen on (8080; 0 for any free one)",
        "  --host <address>             address to listen on (127.0.0.1)",
        "  --data-dir <dir>             CA, admin token and state (./meshwork-controlplane)",
        "  --admin-token-file <file>    read the admin token, or make one there (mode 0600)",
        "  --etcd <url,url...>          keep the state, CA and registry in etcd, shared by every controller",
        "  --etcd-prefix <prefix>       key prefix in etcd (/meshwork/controlplane/)",
        "  --etcd-lease-ttl <duration>  lease of the instances registered in etcd (10s)",
        "  --trust-domain <domain>      the fleet's trust domain (cluster.local)",
        "  --admin-identity <spiffe-id> an identity that is admin over mTLS (repeatable)",
        "  --open-reads                 reads need no token from other machines either",
        "  --no-tls                     serve plaintext only (no mTLS on the port)",
        "  --max-body-bytes <n>         largest request body (1048576)",
        "  --max-certificate-ttl <d>    longest certificate lifetime (24h)",
        "  --health-check-interval <d>  how often registered instances are checked (10s)",
        EnvironmentOptions.usage());
  }
}
