package io.meshwork.netty.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.netty.testing.Http2Frames;
import io.meshwork.netty.testing.Http2Frames.Frame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 frame-level attacks on the h2c side of {@code mesh.serve}, sent as hand-built frames while
 * a well-behaved client calls the same server (one event loop for both): floods of frames the server
 * must acknowledge, sent by a peer that never reads; a header list far over the limit; a response
 * held behind a flow-control window the peer keeps at zero. Rapid reset and CONTINUATION floods are
 * Http2FloodTest's; a header block left unfinished is SlowClientTest's.
 */
class Http2AttacksTest {

  /** Far more than the server may queue for a peer that does not read (Netty's limit: 10,000 frames). */
  private static final long FLOOD_BYTES = 256L << 20;

  private ServeUnderAttack server;

  @BeforeEach
  void serve() {
    server = ServeUnderAttack.plaintext();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aPingFloodFromAPeerThatNeverReadsIsCut() throws Exception {
    byte[] ping = Http2Frames.frame(Http2Frames.PING, 0, 0, new byte[8]);
    var report = server.attack("h2 PING flood, never reading", 1, () -> assertCutBeforeTheEnd(ping));
    assertThat(report.failures()).isEmpty();
  }

  @Test
  void aSettingsFloodFromAPeerThatNeverReadsIsCut() throws Exception {
    byte[] settings = Http2Frames.frame(Http2Frames.SETTINGS, 0, 0, new byte[0]);
    var report = server.attack("h2 SETTINGS flood, never reading", 1, () -> assertCutBeforeTheEnd(settings));
    assertThat(report.failures()).isEmpty();
  }

  @Test
  void aHeaderListFarOverTheLimitIsNotServed() throws Exception {
    Http2Headers headers = get("/");
    for (int i = 0; i < 2_000; i++) {
      headers.add("x-h" + i, "v");
    }
    byte[] block = Http2Frames.headerBlock(headers);
    var report = server.attack("h2 2,000 headers in one block", 5, () -> {
      try (Socket socket = connect()) {
        OutputStream out = socket.getOutputStream();
        out.write(Http2Frames.frame(Http2Frames.HEADERS, Http2Frames.END_STREAM | Http2Frames.END_HEADERS, 1,
            block));
        Frame answer = firstOn(socket.getInputStream(), 1);
        assertThat(answer).as("answered with a refusal, never served").isNotNull();
        assertThat(answer.type()).isIn(Http2Frames.RST_STREAM, Http2Frames.GOAWAY, Http2Frames.HEADERS);
        if (answer.type() == Http2Frames.HEADERS) {
          assertThat(status(answer)).isEqualTo(431);
        }
      }
    });
    assertThat(report.failures()).isEmpty();
  }

  @Test
  void aResponseHeldBehindAZeroWindowIsCutAtTheIdleTimeout() throws Exception {
    var report = server.attack("h2 zero window held open (100 streams)", 1, () -> {
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        out.write(Http2Frames.preface());
        // SETTINGS_INITIAL_WINDOW_SIZE = 0: no stream may receive a byte of DATA.
        out.write(Http2Frames.frame(Http2Frames.SETTINGS, 0, 0, new byte[] {0, 4, 0, 0, 0, 0}));
        for (int stream = 1; stream < 200; stream += 2) {
          out.write(Http2Frames.frame(Http2Frames.HEADERS, Http2Frames.END_STREAM | Http2Frames.END_HEADERS, stream,
              Http2Frames.headerBlock(get("/big"))));
        }
        InputStream in = socket.getInputStream();
        int data = 0;
        Frame goAway = null;
        try {
          for (Frame frame = Http2Frames.read(in); goAway == null; frame = Http2Frames.read(in)) {
            data += frame.type() == Http2Frames.DATA ? frame.payload().length : 0;
            goAway = frame.type() == Http2Frames.GOAWAY ? frame : null;
          }
        } catch (SocketTimeoutException held) {
          throw new AssertionError("the server held the connection open past its idle timeout ("
              + ServeUnderAttack.IDLE_TIMEOUT + ") and 30 s more", held);
        } catch (IOException closed) {
          // closed without a GOAWAY is a cut as well
        }
        assertThat(data).as("no DATA through a zero window").isZero();
        assertThat(ended(in)).as("the connection ends").isTrue();
      }
    });
    assertThat(report.failures()).isEmpty();
  }

  /** Writes {@code frame} over and over without reading, and checks the server cuts the connection first. */
  private void assertCutBeforeTheEnd(byte[] frame) throws IOException {
    byte[] batch = repeat(frame, 64 * 1024 / frame.length);
    long written = 0;
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      try {
        while (written < FLOOD_BYTES) {
          out.write(batch);
          written += batch.length;
        }
      } catch (SocketException cut) {
        return;
      }
      throw new AssertionError("the server took " + (written >> 20) + " MiB of frames to acknowledge from a peer"
          + " that reads nothing, and still did not end the connection");
    }
  }

  private static boolean ended(InputStream in) throws IOException {
    try {
      return in.read() == -1;
    } catch (SocketTimeoutException held) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
    socket.setSoTimeout(30_000);
    socket.getOutputStream().write(Http2Frames.preface());
    return socket;
  }

  /** The first RST_STREAM or HEADERS on {@code stream}, or the GOAWAY; null when the connection ends. */
  private static Frame firstOn(InputStream in, int stream) {
    try {
      while (true) {
        Frame frame = Http2Frames.read(in);
        if (frame.type() == Http2Frames.GOAWAY
            || (frame.streamId() == stream && (frame.type() == Http2Frames.RST_STREAM
                || frame.type() == Http2Frames.HEADERS))) {
          return frame;
        }
      }
    } catch (IOException ended) {
      return null;
    }
  }

  private static int status(Frame headers) {
    try {
      return Integer.parseInt(Http2Frames.decodeHeaders(headers.payload()).status().toString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] repeat(byte[] frame, int times) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(frame.length * times);
    for (int i = 0; i < times; i++) {
      out.writeBytes(frame);
    }
    return out.toByteArray();
  }

  private static Http2Headers get(String path) {
    return new DefaultHttp2Headers().method("GET").path(path).scheme("http").authority("web");
  }
}
