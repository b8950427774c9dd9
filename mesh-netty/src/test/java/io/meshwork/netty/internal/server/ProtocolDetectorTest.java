package io.meshwork.netty.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.MeshResponse;
import io.meshwork.transport.InboundHandler;
import io.meshwork.transport.ServerOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequestDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The switch between HTTP/1.1 and h2c on the first bytes of a connection, however they are split. */
class ProtocolDetectorTest {

  private final ServerContext context = new ServerContext(ServerOptions.of("svc", "127.0.0.1", 0),
      InboundHandler.of(request -> CompletableFuture.completedFuture(MeshResponse.ok("ok " + request.path()))),
      PeerIdentityResolver.PLAINTEXT);
  private final EmbeddedChannel channel = new EmbeddedChannel(new ProtocolDetector(context));

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  @Test
  void http11RequestSwitchesToHttp11AndIsAnswered() {
    channel.writeInbound(ascii("GE"));
    assertThat(channel.pipeline().get(HttpRequestDecoder.class)).as("one byte off the preface decides").isNotNull();
    channel.writeInbound(ascii("T /x HTTP/1.1\r\nhost: a\r\n\r\n"));
    assertThat(channel.pipeline().get(ProtocolDetector.class)).isNull();
    assertThat(readOutbound()).startsWith("HTTP/1.1 200 OK\r\n").endsWith("ok /x");
  }

  @Test
  void prefaceSplitAcrossReadsSwitchesToHttp2OnlyWhenWhole() {
    channel.writeInbound(ascii("PRI * HTTP/2.0\r\n"));
    assertThat(channel.pipeline().get(ProtocolDetector.class)).as("still a prefix of the preface").isNotNull();
    channel.writeInbound(ascii("\r\nSM\r\n\r\n"));
    assertThat(channel.pipeline().get(Http2ServerHandler.class)).isNotNull();
    assertThat(channel.pipeline().get(ProtocolDetector.class)).isNull();
  }

  @Test
  void drainBeforeAnyRequestClosesTheConnection() {
    channel.pipeline().fireUserEventTriggered(ServerEvent.DRAIN);
    assertThat(channel.isOpen()).isFalse();
  }

  private static ByteBuf ascii(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
  }

  private String readOutbound() {
    ByteBuf out = channel.readOutbound();
    try {
      return out.toString(StandardCharsets.US_ASCII);
    } finally {
      out.release();
    }
  }
}
