package io.meshwork.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A plain java.net HTTP/1.1 server on loopback, one thread a connection, that answers well until
 * {@link #inject} switches it to a {@link WireFault}; every request from then on (on old and new
 * connections) meets the fault. Closing it closes the listener and every connection.
 */
final class FaultyServer implements AutoCloseable {

  private static final int OVERSIZED_BYTES = 16 * 1024 * 1024;

  private final ServerSocket listener;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile WireFault fault = WireFault.NONE;

  FaultyServer() throws IOException {
    // A small backlog, so that a listener that never accepts fills it soon, as a stuck server's does.
    listener = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "faulty-accept-" + listener.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Turns the fault on for every request from now on. */
  void inject(WireFault value) throws IOException {
    fault = value;
    if (value == WireFault.REFUSING) {
      close();
    }
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException closedListener) {
        return;
      }
      sockets.add(socket);
      if (fault == WireFault.NEVER_ACCEPTS) {
        awaitClose(); // the one accept under way when the fault began; no more from here on
        return;
      }
      Thread thread = new Thread(() -> serve(socket), "faulty-" + socket.getPort());
      thread.setDaemon(true);
      thread.start();
    }
  }

  private void serve(Socket socket) {
    try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
      while (readRequest(in)) {
        if (!answer(socket, out, fault)) {
          return;
        }
      }
    } catch (IOException clientGone) {
      // the client closing or resetting a connection is part of several faults
    }
  }

  /** Answers one request; false when the connection is done. */
  private boolean answer(Socket socket, OutputStream out, WireFault now) throws IOException {
    switch (now) {
      case NONE -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
      case BLACK_HOLE, NEVER_ACCEPTS, REFUSING -> {
        awaitClose();
        return false;
      }
      case GARBAGE -> {
        write(out, "SPDY/9 what is this\r\n\u0001\u0002\u0003\r\n\r\n");
        return false;
      }
      case TRUNCATED -> {
        write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part of it");
        return false;
      }
      case OVERSIZED -> {
        write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + OVERSIZED_BYTES + "\r\n\r\n");
        out.write(new byte[OVERSIZED_BYTES]);
        out.flush();
      }
      case HALF_CLOSED -> {
        socket.shutdownOutput();
        socket.getInputStream().transferTo(OutputStream.nullOutputStream()); // until the client closes
        return false;
      }
      case RESET_MID_BODY -> {
        write(out, "HTTP/1.1 200 OK\r\nContent-Length: 4096\r\n\r\n" + "x".repeat(1024));
        socket.setSoLinger(true, 0); // close() now sends RST instead of FIN
        return false;
      }
    }
    return true;
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Reads one request head and its Content-Length body; false at the end of the stream. */
  private static boolean readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return false;
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        in.readNBytes(Integer.parseInt(line.substring(15).trim()));
      }
    }
    return true;
  }

  private void awaitClose() {
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws IOException {
    closed.countDown();
    listener.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }
}
