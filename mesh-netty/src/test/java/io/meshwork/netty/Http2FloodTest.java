package io.meshwork.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.Mesh;
import io.meshwork.MeshResponse;
import io.meshwork.MeshServer;
import io.meshwork.netty.testing.Http2Frames;
import io.meshwork.netty.testing.Http2Frames.Frame;
import io.meshwork.registry.InMemoryServiceRegistry;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Frame floods against the h2c side of {@code mesh.serve}, sent as hand-built bytes: the server ends
 * the connection with a GOAWAY instead of working through them (rapid reset, CVE-2023-44487; the
 * CONTINUATION flood of 2024).
 */
class Http2FloodTest {

  private NettyTransport transport;
  private Mesh mesh;
  private MeshServer server;
  private final AtomicInteger handled = new AtomicInteger();

  @BeforeEach
  void serve() {
    transport = NettyTransport.builder().eventLoopThreads(1).shutdownGrace(Duration.ofSeconds(1)).build();
    mesh = Mesh.builder().service("web").registry(new InMemoryServiceRegistry()).transport(transport)
        .shutdownGrace(Duration.ofSeconds(1)).build();
    server = mesh.serve(0, request -> {
      handled.incrementAndGet();
      return new CompletableFuture<MeshResponse>().completeOnTimeout(MeshResponse.ok("late"), 1,
          java.util.concurrent.TimeUnit.SECONDS);
    });
  }

  @AfterEach
  void stop() {
    mesh.close();
    transport.close();
  }

  @Test
  void rapidResetEndsTheConnection() throws Exception {
    byte[] block = Http2Frames.headerBlock(get());
    ByteArrayOutputStream flood = new ByteArrayOutputStream();
    for (int stream = 1; stream < 2 * 5000; stream += 2) {
      flood.writeBytes(Http2Frames.frame(Http2Frames.HEADERS, Http2Frames.END_HEADERS | Http2Frames.END_STREAM,
          stream, block));
      flood.writeBytes(Http2Frames.rstStream(stream, (int) Http2Error.CANCEL.code()));
    }
    Frame goAway = sendAndAwaitGoAway(flood.toByteArray());
    assertThat(Http2Error.valueOf(goAway.errorCode())).isEqualTo(Http2Error.ENHANCE_YOUR_CALM);
    assertThat(handled).as("streams handed to the handler").hasValueLessThan(1000);
  }

  @Test
  void continuationFloodEndsTheConnection() throws Exception {
    Http2Headers big = get();
    for (int i = 0; i < 200; i++) {
      big.add("x-filler-" + i, "f".repeat(1000));
    }
    byte[] block = Http2Frames.headerBlock(big);
    ByteArrayOutputStream flood = new ByteArrayOutputStream();
    flood.writeBytes(Http2Frames.frame(Http2Frames.HEADERS, Http2Frames.END_STREAM, 1, Arrays.copyOf(block, 100)));
    for (int at = 100; at < block.length; at += 100) {
      flood.writeBytes(Http2Frames.frame(Http2Frames.CONTINUATION, 0, 1,
          Arrays.copyOfRange(block, at, Math.min(block.length, at + 100))));
    }
    assertThat(sendAndAwaitGoAway(flood.toByteArray())).isNotNull();
    assertThat(handled).hasValue(0);
  }

  @Test
  void emptyContinuationFloodEndsTheConnection() throws Exception {
    ByteArrayOutputStream flood = new ByteArrayOutputStream();
    flood.writeBytes(Http2Frames.frame(Http2Frames.HEADERS, Http2Frames.END_STREAM, 1,
        Arrays.copyOf(Http2Frames.headerBlock(get()), 5)));
    for (int i = 0; i < 100_000; i++) {
      flood.writeBytes(Http2Frames.frame(Http2Frames.CONTINUATION, 0, 1, new byte[0]));
    }
    assertThat(sendAndAwaitGoAway(flood.toByteArray())).isNotNull();
    assertThat(handled).hasValue(0);
  }

  /** Writes the preface and {@code frames} (not minding a reset) and returns the server's GOAWAY. */
  private Frame sendAndAwaitGoAway(byte[] frames) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(Http2Frames.preface());
      Thread writer = new Thread(() -> {
        try {
          socket.getOutputStream().write(frames);
        } catch (IOException closedByTheServer) {
          // the server may close while the flood is still being written
        }
      });
      writer.start();
      InputStream in = socket.getInputStream();
      while (true) {
        Frame frame = Http2Frames.read(in);
        if (frame.type() == Http2Frames.GOAWAY) {
          return frame;
        }
      }
    }
  }

  private static Http2Headers get() {
    return new DefaultHttp2Headers().method("GET").path("/").scheme("http").authority("web");
  }
}
