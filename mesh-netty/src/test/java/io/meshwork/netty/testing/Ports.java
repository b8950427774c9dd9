package io.meshwork.netty.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Loopback ports for tests. */
public final class Ports {

  private Ports() {}

  /** A port nothing listens on now: bound once by the system, then released. */
  public static int free() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  /**
   * Waits until an outside program listens on {@code port}, trying to connect at most every
   * millisecond; fails after {@code timeout}. This waits for the program, not for time to pass.
   */
  public static void awaitListening(int port, Duration timeout, Object whom) throws IOException {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
        return;
      } catch (IOException refused) {
        if (System.nanoTime() - end > 0) {
          throw new AssertionError(whom + " does not listen on port " + port + " after " + timeout, refused);
        }
        LockSupport.parkNanos(1_000_000);
      }
    }
  }
}
