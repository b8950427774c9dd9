package io.meshwork.netty.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain java.net server on loopback that answers each connection with a script: well-behaved
 * keep-alive answers, or garbage, truncated and oversized ones. Each connection has its own thread.
 * Closing it closes the listening socket and every connection, and joins the threads.
 */
public final class RawHttpServer implements AutoCloseable {

  /** What the server does with one connection. */
  @FunctionalInterface
  public interface Script {
    /** Serves {@code connection}; the connection is closed when it returns. */
    void serve(RawConnection connection) throws Exception;
  }

  private final ServerSocket listener;
  private final Script script;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final Thread acceptor;

  private RawHttpServer(Script script) throws IOException {
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.script = script;
    this.acceptor = new Thread(this::acceptLoop, "raw-http-accept-" + listener.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Starts a server running {@code script} for every connection. */
  public static RawHttpServer start(Script script) throws IOException {
    return new RawHttpServer(script);
  }

  /** The port it listens on. */
  public int port() {
    return listener.getLocalPort();
  }

  /** Connections accepted so far. */
  public int connections() {
    return accepted.get();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException closed) {
        return;
      }
      accepted.incrementAndGet();
      sockets.add(socket);
      Thread thread = new Thread(() -> serve(socket), "raw-http-" + socket.getPort());
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  private void serve(Socket socket) {
    try (RawConnection connection = new RawConnection(socket)) {
      script.serve(connection);
    } catch (Exception e) {
      // The client going away mid-script is what several tests cause on purpose.
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket socket : sockets) {
      socket.close();
    }
    try {
      acceptor.join(5000);
      for (Thread thread : threads) {
        thread.join(5000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
