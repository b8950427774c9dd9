package io.meshwork.bench.backend;

import io.meshwork.security.CertificateAuthority;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The backend process: N plain Netty instances on 127.0.0.1 answering 1 KiB, plus, when asked,
 * plain Netty h2c instances for the HTTP/2 comparison and Meshwork-server instances (plaintext and
 * STRICT mTLS) for the mTLS comparison. Started by the
 * harness as a child JVM; prints one {@code READY} line with its ports, then obeys one command per
 * line on standard input and exits when standard input closes (so it never outlives the harness).
 *
 * <pre>
 * set I DELAY_MS FAIL   instance I answers DELAY_MS later, with a 503 when FAIL is 1
 * reset                 every instance fast and healthy
 * count                 COUNT n0,n1,...: requests each instance received
 * extra N               EXTRA p1,...: N more healthy instances (the heap figure's 1,000)
 * </pre>
 */
public final class BackendMain {

  private BackendMain() {}

  /** Arguments: {@code --instances N --threads T [--h2-instances H] [--mesh-instances M --ca-dir DIR]}. */
  public static void main(String[] args) throws Exception {
    int instances = 4;
    int threads = 2;
    int meshInstances = 0;
    int h2Instances = 0;
    Path caDir = null;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--instances" -> instances = Integer.parseInt(args[i + 1]);
        case "--threads" -> threads = Integer.parseInt(args[i + 1]);
        case "--mesh-instances" -> meshInstances = Integer.parseInt(args[i + 1]);
        case "--h2-instances" -> h2Instances = Integer.parseInt(args[i + 1]);
        case "--ca-dir" -> caDir = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    boolean epoll = Epoll.isAvailable();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("backend", true),
        epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    Class<? extends ServerSocketChannel> channelClass =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    List<PlainHttpServer> servers = new ArrayList<>();
    List<AutoCloseable> closeAtEnd = new ArrayList<>();
    try {
      for (int i = 0; i < instances; i++) {
        servers.add(PlainHttpServer.bind(group, channelClass, new InstanceBehavior()));
      }
      StringBuilder ready = new StringBuilder("READY plain=").append(ports(servers, 0));
      List<Integer> h2Ports = new ArrayList<>();
      for (int i = 0; i < h2Instances; i++) {
        PlainHttp2Server server = PlainHttp2Server.bind(group, channelClass);
        closeAtEnd.add(server);
        h2Ports.add(server.port());
      }
      ready.append(" h2=").append(join(h2Ports));
      if (meshInstances > 0) {
        MeshBackends plain = new MeshBackends(meshInstances, threads, null);
        closeAtEnd.add(plain);
        ready.append(" mesh-plain=").append(join(plain.ports()));
        ready.append(" mesh-mtls=").append(startMtls(meshInstances, threads, caDir, closeAtEnd));
      }
      ready.append(" epoll=").append(epoll);
      System.out.println(ready);
      System.out.flush();
      serveCommands(servers, group, channelClass, instances);
    } finally {
      for (AutoCloseable resource : closeAtEnd) {
        resource.close();
      }
      for (PlainHttpServer server : servers) {
        server.close();
      }
      group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  /** Ports of the mTLS instances, or {@code unavailable:<why>} when the transport cannot serve them. */
  private static String startMtls(int instances, int threads, Path caDir, List<AutoCloseable> closeAtEnd) {
    if (caDir == null) {
      return "unavailable:no-ca";
    }
    try {
      CertificateAuthority authority = CertificateAuthority.load(caDir.resolve(CertificateAuthority.CERTIFICATE_FILE),
          caDir.resolve(CertificateAuthority.PRIVATE_KEY_FILE));
      MeshBackends mtls = new MeshBackends(instances, threads, authority);
      closeAtEnd.add(mtls);
      return join(mtls.ports());
    } catch (RuntimeException e) {
      return "unavailable:" + String.valueOf(e.getMessage()).replaceAll("\\s+", "_");
    }
  }

  private static void serveCommands(List<PlainHttpServer> servers, EventLoopGroup group,
      Class<? extends ServerSocketChannel> channelClass, int instances) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      String[] words = line.trim().split("\\s+");
      String reply;
      try {
        reply = switch (words[0]) {
          case "set" -> {
            servers.get(Integer.parseInt(words[1])).behavior()
                .set(Long.parseLong(words[2]), "1".equals(words[3]));
            yield "OK";
          }
          case "reset" -> {
            for (PlainHttpServer server : servers) {
              server.behavior().set(0, false);
            }
            yield "OK";
          }
          case "count" -> {
            StringJoiner counts = new StringJoiner(",", "COUNT ", "");
            for (int i = 0; i < instances; i++) {
              counts.add(Long.toString(servers.get(i).behavior().received()));
            }
            yield counts.toString();
          }
          case "extra" -> {
            int from = servers.size();
            for (int i = 0; i < Integer.parseInt(words[1]); i++) {
              servers.add(PlainHttpServer.bind(group, channelClass, new InstanceBehavior()));
            }
            yield "EXTRA " + ports(servers, from);
          }
          case "quit" -> null;
          default -> "ERROR unknown command: " + line;
        };
      } catch (RuntimeException e) {
        reply = "ERROR " + e;
      }
      if (reply == null) {
        return;
      }
      System.out.println(reply);
      System.out.flush();
    }
  }

  private static String ports(List<PlainHttpServer> servers, int from) {
    List<Integer> ports = new ArrayList<>();
    for (int i = from; i < servers.size(); i++) {
      ports.add(servers.get(i).port());
    }
    return join(ports);
  }

  private static String join(List<Integer> ports) {
    StringJoiner joined = new StringJoiner(",");
    for (int port : ports) {
      joined.add(Integer.toString(port));
    }
    return joined.toString();
  }
}
