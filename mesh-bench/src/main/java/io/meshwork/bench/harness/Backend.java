package io.meshwork.bench.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The backend JVM ({@code BackendMain}) as the harness drives it: its ports, and the commands that
 * make an instance slow or failing and count what the instances received.
 */
final class Backend implements AutoCloseable {

  private static final Duration REPLY = Duration.ofSeconds(30);

  private final ChildProcess process;
  final List<Integer> plain;
  /** The plain h2c instances of the HTTP/2 comparison. */
  final List<Integer> h2;
  final List<Integer> meshPlain;
  final List<Integer> meshMtls;
  /** Why the mTLS instances are not usable, or null when they are. */
  final String mtlsUnavailable;
  final boolean epoll;

  private Backend(ChildProcess process, Map<String, String> ready) {
    this.process = process;
    this.plain = ports(ready.get("plain"));
    this.h2 = ports(ready.getOrDefault("h2", ""));
    this.meshPlain = ports(ready.getOrDefault("mesh-plain", ""));
    String mtls = ready.getOrDefault("mesh-mtls", "unavailable:not started");
    if (mtls.startsWith("unavailable:")) {
      this.meshMtls = List.of();
      this.mtlsUnavailable = "the Netty transport could not serve STRICT mTLS: "
          + mtls.substring("unavailable:".length()).replace('_', ' ');
    } else {
      this.meshMtls = ports(mtls);
      this.mtlsUnavailable = plaintextAccepted(meshMtls.get(0));
    }
    this.epoll = Boolean.parseBoolean(ready.get("epoll"));
  }

  /** Starts the backend JVM with {@code instances} plain, plain h2c and Meshwork-server instances each. */
  static Backend start(Launcher launcher, int instances, Path caDir) {
    ChildProcess process = launcher.startJava("backend", List.of("-Xmx1g"), "io.meshwork.bench.backend.BackendMain",
        List.of("--instances", Integer.toString(instances), "--threads", "2",
            "--h2-instances", Integer.toString(instances),
            "--mesh-instances", Integer.toString(instances), "--ca-dir", caDir.toString()));
    try {
      String ready = process.awaitLine(Duration.ofSeconds(60));
      if (!ready.startsWith("READY ")) {
        throw new IllegalStateException("backend said: " + ready);
      }
      Map<String, String> fields = new HashMap<>();
      for (String field : ready.substring("READY ".length()).split(" ")) {
        int eq = field.indexOf('=');
        fields.put(field.substring(0, eq), field.substring(eq + 1));
      }
      return new Backend(process, fields);
    } catch (RuntimeException e) {
      process.close();
      throw e;
    }
  }

  /** Instance {@code index} answers {@code delayMillis} later, and with a 503 when {@code failing}. */
  void set(int index, long delayMillis, boolean failing) {
    expect("OK", process.command("set " + index + " " + delayMillis + " " + (failing ? 1 : 0), REPLY));
  }

  /** Every instance fast and healthy again. */
  void reset() {
    expect("OK", process.command("reset", REPLY));
  }

  /** Requests received so far by all the main instances together. */
  long received() {
    String reply = process.command("count", REPLY);
    expect("COUNT ", reply);
    long sum = 0;
    for (int count : ports(reply.substring("COUNT ".length()))) {
      sum += count;
    }
    return sum;
  }

  /** Starts {@code count} more healthy instances and returns their ports. */
  List<Integer> extra(int count) {
    String reply = process.command("extra " + count, REPLY);
    expect("EXTRA ", reply);
    return ports(reply.substring("EXTRA ".length()));
  }

  @Override
  public void close() {
    process.close();
  }

  /**
   * Null when a plaintext request to the STRICT mTLS port is refused, as it must be; otherwise why
   * the mTLS figures cannot be measured yet.
   */
  private static String plaintextAccepted(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      socket.setSoTimeout(3000);
      OutputStream out = socket.getOutputStream();
      out.write("GET / HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] head = in.readNBytes(12);
      String status = new String(head, StandardCharsets.US_ASCII);
      if (status.startsWith("HTTP/1.1 200")) {
        return "the Netty transport does not apply TLS yet: a Meshwork server built with STRICT mTLS answered"
            + " a plaintext request with 200";
      }
      return null;
    } catch (IOException e) {
      return null; // refused or reset: TLS is in force
    }
  }

  private static void expect(String prefix, String reply) {
    if (!reply.startsWith(prefix)) {
      throw new IllegalStateException("backend answered: " + reply + " (expected: " + prefix.trim() + ")");
    }
  }

  private static List<Integer> ports(String csv) {
    List<Integer> ports = new ArrayList<>();
    for (String part : csv.split(",")) {
      if (!part.isBlank()) {
        ports.add(Integer.parseInt(part.trim()));
      }
    }
    return ports;
  }
}
