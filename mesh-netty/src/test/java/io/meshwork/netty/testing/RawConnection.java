package io.meshwork.netty.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** One connection of a {@link RawHttpServer}: reads requests, writes whatever bytes the script says. */
public final class RawConnection implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** The next request, body included (Content-Length only); null when the client closed. */
  public RawRequest readRequest() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    String[] requestLine = lines[0].split(" ");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    return new RawRequest(requestLine[0], requestLine.length > 1 ? requestLine[1] : "", headers, body);
  }

  /** Writes ASCII text as it is. */
  public void write(String text) throws IOException {
    write(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Writes bytes as they are. */
  public void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** A complete keep-alive 200 answer with {@code body}. */
  public void ok(String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + bytes.length + "\r\n\r\n");
    write(bytes);
  }

  /** Sends FIN and waits until the client closes its side too; true when it did. */
  public boolean closeAndAwaitPeer() throws IOException {
    socket.shutdownOutput();
    byte[] sink = new byte[8192];
    while (true) {
      if (in.read(sink) < 0) {
        return true;
      }
    }
  }

  /** Reads until the client closes the connection (its EOF or reset); true when it did. */
  public boolean awaitPeerClose() {
    byte[] sink = new byte[8192];
    try {
      while (in.read(sink) >= 0) {
        // discard
      }
    } catch (IOException reset) {
      // a reset is a close too
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** A request as read off the wire: header names in lower case. */
  public record RawRequest(String method, String target, Map<String, String> headers, byte[] body) {}
}
