package io.meshwork.controlplane.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.Map;

/**
 * The container image's health check: {@code java -cp '/opt/meshwork/lib/*' io.meshwork.controlplane.server.HealthCheck}
 * asks {@code GET /health} of the control plane of this container and exits 0 when it answers 200, 1
 * otherwise. The image has no shell and no curl, so the JVM already there does the asking. It finds the
 * port and address as the control plane does, from the {@code MESHWORK_*} variables and then its own
 * arguments (the control plane's flags); an address that listens everywhere is asked on loopback.
 */
public final class HealthCheck {

  private static final int TIMEOUT_MILLIS = 5_000;

  private HealthCheck() {}

  /** Asks and exits: 0 healthy, 1 not (the reason on stderr), 2 bad options. */
  public static void main(String[] args) {
    System.exit(run(System.getenv(), args, System.err));
  }

  /** Asks the control plane the options describe; the exit code of {@link #main}. */
  static int run(Map<String, String> environment, String[] args, PrintStream err) {
    URI uri;
    try {
      uri = healthUri(Main.parse(environment, args).settings());
    } catch (IllegalArgumentException e) {
      err.println("mesh-controlplane health check: " + e.getMessage());
      return 2;
    }
    try {
      HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
      connection.setConnectTimeout(TIMEOUT_MILLIS);
      connection.setReadTimeout(TIMEOUT_MILLIS);
      connection.setUseCaches(false);
      try {
        int status = connection.getResponseCode();
        InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream();
        String text = body == null ? "" : new String(body.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (status == 200) {
          return 0;
        }
        err.println("mesh-controlplane health check: " + uri + " answered " + status + " " + text.strip());
        return 1;
      } finally {
        connection.disconnect();
      }
    } catch (IOException e) {
      err.println("mesh-controlplane health check: " + uri + ": " + e);
      return 1;
    }
  }

  /** {@code /health} where the control plane of {@code settings} listens. */
  static URI healthUri(ControlPlaneSettings settings) {
    String host = switch (settings.host()) {
      case "0.0.0.0" -> "127.0.0.1";
      case "::", "0:0:0:0:0:0:0:0" -> "::1";
      default -> settings.host();
    };
    String authority = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return URI.create("http://" + authority + ":" + settings.port() + "/health");
  }
}
