package io.meshwork.netty.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A plain socket client that writes raw request bytes and reads HTTP/1.1 responses one by one. */
public final class RawClient implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;

  /** Connects to 127.0.0.1:{@code port}; reads time out after 10 s so a test cannot hang. */
  public RawClient(int port) throws IOException {
    this.socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(10_000);
    this.in = socket.getInputStream();
  }

  /** Writes {@code text} as ISO-8859-1 bytes. */
  public void send(String text) throws IOException {
    send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Writes {@code bytes}. */
  public void send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
  }

  /** The next response; {@code head} when it answers a HEAD (no body whatever the headers say). */
  public Response read(boolean head) throws IOException {
    return read(in, head);
  }

  /** The next response read off {@code in}. */
  public static Response read(InputStream in, boolean head) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed before a whole response head; got: " + bytes);
      }
      bytes.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String[] lines = bytes.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
    }
    byte[] body = new byte[0];
    if (!head && headers.containsKey("content-length")) {
      body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
    }
    return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  /** The next response to a request other than HEAD. */
  public Response read() throws IOException {
    return read(false);
  }

  /** Whether the server closed the connection: the next read finds its end (or a reset). */
  public boolean closedByServer() {
    try {
      return in.read() < 0;
    } catch (IOException reset) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** One response: header names in lower case. */
  public record Response(int status, Map<String, String> headers, String body) {}
}
